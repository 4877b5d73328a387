/** UDP uppercase echo (Kurose & Ross §2.7.1, UDPServer.py): each datagram answered in capitals. */
import { UdpLabService, type Flow } from '../services/udp-service';
import { uppercase } from './uppercase';

export class UdpEchoService extends UdpLabService {
  readonly id = 'echo-udp';
  readonly name = 'Echo (UDP)';
  readonly protocol = 'echo';
  readonly description = "Uppercase echo over UDP, as the socket chapter's UDPServer";

  protected handle(flow: Flow, message: Buffer): void {
    this.reply(flow, uppercase(message));
  }
}

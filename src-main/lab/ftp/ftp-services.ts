/** The FTP area's service for the registry. */
import type { LabService, ServiceContext } from '../services/service';
import { FtpService } from './ftp-service';

export function createFtpServices(ctx: ServiceContext, port: (id: string, fallback: number) => number): LabService[] {
  return [new FtpService(ctx, port('ftp', 2121))];
}

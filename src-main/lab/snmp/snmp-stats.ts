/** The agent's own counters: the snmp group of MIB-II (RFC 3418 §2, snmpInPkts …). */
export class SnmpStats {
  inPkts = 0;
  outPkts = 0;
  badVersions = 0;
  badCommunityNames = 0;
  badCommunityUses = 0;
  asnParseErrs = 0;
  totalReqVars = 0;
  totalSetVars = 0;
  getRequests = 0;
  getNexts = 0;
  setRequests = 0;
  tooBigs = 0;
  getResponses = 0;
  traps = 0;
  silentDrops = 0;
}

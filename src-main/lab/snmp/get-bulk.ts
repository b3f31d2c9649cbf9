// GetBulk as net-snmp's snmpd (5.9) answers it, for the lab's agents. The net-snmp npm
// agent caps the whole response at max-repetitions varbinds and, past the end of the MIB,
// pads it with endOfMibView up to that cap. snmpd, checked with `snmpbulkget -Cr10`:
// - N non-repeaters get one GetNext each; the M repeaters get up to R rows (RFC 3416),
//   R cut to floor(100 / M) (snmpd's maxGetbulkResponses, 100 by default);
// - a column that ran off the end keeps answering endOfMibView (its last name) while any
//   other column still has values;
// - the first row in which every column is endOfMibView is the last row sent: a GetBulk
//   past the end of the MIB gets ONE endOfMibView per requested column.
import type { Socket } from 'node:dgram';

/** snmpd's default `maxGetbulkResponses`. */
export const MAX_GETBULK_RESPONSES = 100;

export interface BulkVarbind {
  oid: string;
  /** The MIB node the name leads to, or null past the end of the MIB. */
  next: string | null;
}

/**
 * The varbind plan of one GetBulk: for each varbind of the response, the name it is a
 * GetNext of and where that leads (null: endOfMibView). `getNext` answers one GetNext.
 */
export function planGetBulk(oids: readonly string[], nonRepeaters: number, maxRepetitions: number,
  getNext: (oid: string) => string | null): BulkVarbind[] {
  const n = Math.min(Math.max(0, nonRepeaters), oids.length);
  const m = oids.length - n;
  const out: BulkVarbind[] = oids.slice(0, n).map((oid) => ({ oid, next: getNext(oid) }));
  if (m === 0) return out;
  const rows = Math.min(Math.max(0, maxRepetitions), Math.floor(MAX_GETBULK_RESPONSES / m));
  const cursor = oids.slice(n);
  for (let r = 0; r < rows; r++) {
    let ended = 0;
    for (let c = 0; c < m; c++) {
      const next = getNext(cursor[c]);
      out.push({ oid: cursor[c], next });
      if (next === null) ended++;
      else cursor[c] = next;
    }
    if (ended === m) break;
  }
  return out;
}

// The slice of net-snmp's untyped Agent that GetBulk handling touches.
interface AgentVarbind {
  oid: string;
}
interface AgentMessage {
  pdu: { varbinds: AgentVarbind[]; nonRepeaters: number; maxRepetitions: number };
}
interface GetBulkAgent {
  addGetNextVarbind(target: AgentVarbind[], startOid: string): { oid: string } | null | undefined;
  request(socket: Socket, message: AgentMessage, rinfo: unknown): void;
  getBulkRequest?: (socket: Socket, message: AgentMessage, rinfo: unknown) => void;
}

/** Makes one net-snmp agent answer GetBulk the way snmpd does (see the top of this file). */
export function answerGetBulkLikeSnmpd(agent: object): void {
  const a = agent as GetBulkAgent;
  a.getBulkRequest = function (this: GetBulkAgent, socket, message, rinfo): void {
    const pdu = message.pdu;
    const varbinds: AgentVarbind[] = [];
    // addGetNextVarbind pushes the GetNext answer (endOfMibView at the end) and returns its node.
    const getNext = (oid: string): string | null => {
      const node = this.addGetNextVarbind(varbinds, oid);
      return node ? node.oid : null;
    };
    planGetBulk(pdu.varbinds.map((v) => v.oid), pdu.nonRepeaters, pdu.maxRepetitions, getNext);
    pdu.varbinds = varbinds;
    this.request(socket, message, rinfo);
  };
}

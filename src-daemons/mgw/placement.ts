// Which nodes hold a flow's session (DESIGN.md, Placement): the top R configured nodes by
// rendezvous hashing of the flow key, and its home, the first of them that is live (alive and
// ready). Computed per packet on a miss, so it allocates nothing: the members are written into
// a scratch array this object owns (read them before the next call).
import { hashName, rendezvous } from '../../src-shared/mgw/hash';

export class Placement {
  readonly seeds: Uint32Array;
  readonly members: Int32Array;
  private count = 0;

  constructor(
    nodeIds: readonly string[],
    readonly r: number,
    /** Whether node i is live now (this node: itself ready). */
    private readonly live: (i: number) => boolean,
  ) {
    this.seeds = Uint32Array.from(nodeIds, (id) => hashName(id));
    this.members = new Int32Array(Math.max(1, r));
  }

  /** Fills `members` with the flow's replica set (highest first); returns how many. */
  place(k0: number, k1: number): number {
    this.count = rendezvous(k0, k1, this.seeds, this.r, this.members);
    return this.count;
  }

  /** After place(): whether node i is a member. */
  isMember(i: number): boolean {
    for (let j = 0; j < this.count; j++) if (this.members[j] === i) return true;
    return false;
  }

  /** After place(): the first live member, or -1 when none is live. */
  home(): number {
    for (let j = 0; j < this.count; j++) if (this.live(this.members[j])) return this.members[j];
    return -1;
  }
}

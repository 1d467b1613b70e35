// Who may run a room or a class session. One process owns everything it loads (soleOwner). In a cluster
// (server/cluster/cluster.ts) a node must hold the thing's lease in Redis before it loads or creates it, and
// lets go of the lease when it closes or unloads it, so that another node can take it over at once.
export type OwnedKind = 'room' | 'session';

export interface Ownership {
  /** true if this process now holds (or already held) the right to run `code`; false if another node does */
  claim(kind: OwnedKind, code: string): Promise<boolean>;
  /** this process no longer runs `code` (closed, or unloaded on shutdown): another node may take it now */
  release(kind: OwnedKind, code: string): Promise<void>;
}

export const soleOwner: Ownership = {
  claim: async () => true,
  release: async () => {},
};

module RecoveryOrder_RestoreOrderExists

// Mutant: threads and capability entries are restored in the same stage.

/*
 * The kernel's object kinds and the dependency relation between them, exactly as
 * Persistence.tla's KindDeps states it (and as recovery in the kernel uses it):
 *   page table -> frame            address space -> page table
 *   thread -> address space        thread -> capability table
 *   cap entry -> capability table  cap entry -> thread (its target)
 *   message -> thread (receiver)   message -> cap entry, frame (its item)
 * An object graph is any set of objects whose dependencies follow the kind relation.
 */

abstract sig Kind {}
one sig Frame, PageTable, AddressSpace, CapTable, CapEntry, Thread, Message extends Kind {}

fun kindDeps: Kind -> Kind {
  PageTable -> Frame + AddressSpace -> PageTable
  + Thread -> AddressSpace + Thread -> CapTable
  + CapEntry -> CapTable + CapEntry -> Thread
  + Message -> Thread + Message -> CapEntry + Message -> Frame
}

// Persistence.tla's KindDeps itself: `./ladle check` fills in the body of this fun from the TLA+ definition named
// on the line above it (opened in the Alloy Analyzer alone it stays empty, and KindDepsArePersistences fails).
-- ladle:tla ../../main/tla/Persistence.tla KindDeps
fun persistenceKindDeps: Kind -> Kind { none -> none }

// The stage at which recovery restores a kind: objects are restored stage by stage, in any
// order within a stage.
fun stage: Kind -> Int {
  Frame -> 0 + CapTable -> 0 + PageTable -> 1 + AddressSpace -> 2
  + Thread -> 4 + CapEntry -> 4 + Message -> 5
}

sig Obj {
  kind: one Kind,
  deps: set Obj
}

fact graphsFollowKinds {
  all o: Obj | o.deps.kind in o.kind.kindDeps
}

// A checkpoint: a set of objects.
sig Checkpoint {
  objs: set Obj
}

pred closed[c: Checkpoint] { c.objs.deps in c.objs }

// The relation checked here is the one Persistence.tla (and the kernel's recovery) uses.
assert KindDepsArePersistences {
  kindDeps = persistenceKindDeps
}

// The kind relation has no cycle.
assert KindDepsAcyclic {
  no k: Kind | k in k.^kindDeps
}

// Hence no object graph has a cycle.
assert ObjectDepsAcyclic {
  no o: Obj | o in o.^deps
}

// A restore order exists for every object graph: restoring stage by stage puts every object
// after everything it depends on.
assert RestoreOrderExists {
  all o: Obj, p: o.deps | stage[p.kind] < stage[o.kind]
}

// A checkpoint closed under (direct) dependencies is self-contained: everything its objects
// need, at any depth, is inside it, so it can be restored with nothing else.
assert ClosedCheckpointSelfContained {
  all c: Checkpoint | closed[c] implies c.objs.^deps in c.objs
}

check RestoreOrderExists for 8 Obj, 2 Checkpoint

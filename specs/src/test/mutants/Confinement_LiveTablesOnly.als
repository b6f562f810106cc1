module Confinement_LiveTablesOnly

// Mutant: a created thread is left free (its object is not taken off the free list) while its creator names it.

/*
 * Authority confinement over every small configuration.
 *
 * Threads hold capabilities (entries of their local-id tables); a capability names a target
 * thread and carries rights. The transfer rules are those of CSpace.tla / Kernel.tla:
 *   map    the receiver gets a new entry derived from the sender's (revoked with it),
 *   grant  the entry moves from sender to receiver,
 *   copy   the receiver gets an independent new entry,
 * each only along a channel (a held capability to the receiver) with the Grant right, and the
 * new entry never has more rights than the one it comes from. Revoke removes every entry
 * derived from the given one, at any depth. Create (CreateThread, CreateProcess) makes a live
 * thread out of a free thread atom and gives its creator a new root capability to it with every
 * right (introduction by creation); a thread created by a member of the confined group joins
 * the group. Deletion is not modelled here (Kernel.tla has it, with generations).
 *
 * Cap atoms are a pool: an atom held by nobody is free and map/copy take a free one. An atom's
 * target, rights and place in the derivation tree (parent) are fixed, so only the tables
 * change over time: a map activates an atom whose parent is the sender's entry, a copy one
 * with no parent, "less rights" is an atom whose rights are a subset, and a grant moves the
 * atom itself (its children keep it as their parent). Keeping parent static keeps the SAT
 * problem small; the solver still chooses the tree.
 */

abstract sig Right {}
one sig Send, Grant extends Right {}

sig Thread {
  var caps: set Cap            // this thread's table
}

sig Cap {
  obj: one Thread,             // the thread this capability names
  rights: set Right,
  parent: lone Cap             // the entry it is mapped from, when it is used by a map
}

// The live threads: a free thread atom holds nothing and nothing names it until it is created.
var sig Live in Thread {}

// The confined group: at boot, and every thread one of its members created.
var sig Inside in Thread {}

// Who created whom: the creation edges of the authority graph.
one sig Created {
  var by: Thread -> Thread       // creator -> created
}

// The boot authority graph, fixed so that later states can be compared with it.
one sig Boot {
  edge: Thread -> Thread
}

fun holder[c: Cap]: set Thread { caps.c }
fun free: set Cap { Cap - Thread.caps }

fact derivationIsATree {
  no c: Cap | c in c.^parent
}

pred init {
  Boot.edge = { t, u: Thread | some c: t.caps | c.obj = u }
  no Created.by
  all c: Cap | lone holder[c]
  liveOnly
  // Boot entries are roots: nothing is derived yet.
  no Thread.caps.parent
  // Confinement's premise: the group holds nothing leading out of it, and nobody outside it
  // can pass items into it (no outside capability to an inside thread has Grant).
  all t: Inside, c: t.caps | c.obj in Inside
  all t: Thread - Inside, c: t.caps | c.obj in Inside implies Grant not in c.rights
}

// A channel: a held capability with the Grant right, naming the receiver. Its holder is the
// sender, so the sender is not a separate parameter.
pred channel[d: Cap] { one holder[d] and Grant in d.rights }

// The transfers and revoke create no thread.
pred lifeKept { Live' = Live and Inside' = Inside and Created.by' = Created.by }

pred map[d: Cap, c: Cap, n: Cap] {
  channel[d] and c in holder[d].caps and n in free and n.parent = c
  n.obj = c.obj and n.rights in c.rights
  caps' = caps + d.obj -> n
  lifeKept
}

pred grant[d: Cap, c: Cap] {
  channel[d] and c in holder[d].caps and c != d
  caps' = caps - holder[d] -> c + d.obj -> c
  lifeKept
}

pred copy[d: Cap, c: Cap, n: Cap] {
  channel[d] and c in holder[d].caps and n in free and no n.parent
  n.obj = c.obj and n.rights in c.rights
  caps' = caps + d.obj -> n
  lifeKept
}

// Everything derived from c, at any depth, leaves every table; c stays.
pred revoke[c: Cap] {
  some holder[c]
  caps' = caps - Thread -> c.^~parent
  lifeKept
}

// Live thread t creates thread u from a free atom (in its own process or a new one: the same
// for authority) and holds the new root capability n to it, with every right. u starts with an
// empty table; it joins the confined group when its creator is a member.
pred create[t: Thread, u: Thread, n: Cap] {
  t in Live and u not in Live and n in free and no n.parent
  n.obj = u and n.rights = Right
  caps' = caps + t -> n
  Live' = Live
  t in Inside implies Inside' = Inside + u else Inside' = Inside
  Created.by' = Created.by + t -> u
}

pred skip { caps' = caps and lifeKept }

// The step taken: which transfer, and its arguments. Naming them in one place (instead of an
// existential over every argument triple) keeps the SAT problem small enough for SAT4J.
abstract sig Op {}
one sig OpMap, OpGrant, OpCopy, OpRevoke, OpCreate, OpSkip extends Op {}

one sig Step {
  var op: one Op,
  var chan: lone Cap,          // the channel: a held capability with Grant, naming the receiver
  var src: lone Cap,           // the capability being passed, or revoked
  var new: lone Cap,           // the free atom a map, copy or create fills
  var creator: lone Thread,    // create: the live thread that creates
  var born: lone Thread        // create: the free thread atom it makes live
}

pred transition {
  Step.op = OpSkip implies skip
  Step.op = OpMap implies (one Step.chan and one Step.src and one Step.new and map[Step.chan, Step.src, Step.new])
  Step.op = OpCopy implies (one Step.chan and one Step.src and one Step.new and copy[Step.chan, Step.src, Step.new])
  Step.op = OpGrant implies (one Step.chan and one Step.src and grant[Step.chan, Step.src])
  Step.op = OpRevoke implies (one Step.src and revoke[Step.src])
  Step.op = OpCreate implies (one Step.creator and one Step.born and one Step.new
                              and create[Step.creator, Step.born, Step.new])
}

// The invariants, as predicates on one state.

// Only live threads hold capabilities, every capability names a live thread, and the confined
// group is live: a free thread atom is untouched until it is created.
pred liveOnly {
  no (Thread - Live).caps
  Thread.caps.obj in Live
  Inside in Live
}

// The confined group holds nothing leading out, and nobody outside can pass items into it.
pred confined {
  all t: Inside, c: t.caps | c.obj in Inside
  all t: Thread - Inside, c: t.caps | c.obj in Inside implies Grant not in c.rights
}

// Every held capability joins two threads connected in the boot authority graph plus the
// creation edges.
pred connected {
  let g = Boot.edge + Created.by | all t: Thread, c: t.caps | t -> c.obj in *(g + ~g)
}

// A held entry has no right that an entry above it in the derivation tree lacks.
pred notAmplified {
  all c: Thread.caps, a: c.^parent | c.rights in a.rights
}

/*
 * Each assertion is checked by induction: the boot state satisfies the invariant, and from ANY
 * state satisfying it (not only reachable ones) every transition leads to a state satisfying
 * it. Confinement's induction also assumes liveOnly (a thread is created untouched), itself
 * inductive (LiveTablesOnly). Within the scope (5 threads, 6 capabilities) that covers every reachable state, at any
 * depth, where a trace check covers only traces up to its step bound and, with SAT4J, needs
 * minutes for 4 steps at this scope. The trace check below confirms it on real traces from
 * boot, 8 steps deep, at a smaller scope.
 */

// Free thread atoms hold nothing and nothing names them, until they are created.
assert LiveTablesOnly {
  init implies liveOnly
  (liveOnly and transition) implies after liveOnly
}

// The confined group never gains a capability leading out of it, also when its members create.
assert AuthorityConfinement {
  init implies confined
  (confined and liveOnly and transition) implies after confined
}

// No authority from nowhere.
assert NoAuthorityFromNowhere {
  init implies connected
  (connected and transition) implies after connected
}

// A derived entry never has more rights than the entries it was derived from.
assert RightsNeverAmplified {
  init implies notAmplified
  (notAmplified and transition) implies after notAmplified
}

// The confinement claim on traces from boot, 8 steps deep.
assert ConfinementOnTraces {
  (init and always transition) implies always confined
}

check LiveTablesOnly for 5 Thread, 6 Cap, 2 Right, 2 steps

module Confinement_ConfinementOnTraces

// Mutant: any held capability is a channel for items, Grant right or not.

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
 * derived from the given one, at any depth.
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

// The confined group.
sig Inside in Thread {}

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
  all c: Cap | lone holder[c]
  // Boot entries are roots: nothing is derived yet.
  no Thread.caps.parent
  // Confinement's premise: the group holds nothing leading out of it, and nobody outside it
  // can pass items into it (no outside capability to an inside thread has Grant).
  all t: Inside, c: t.caps | c.obj in Inside
  all t: Thread - Inside, c: t.caps | c.obj in Inside implies Grant not in c.rights
}

// A channel: a held capability with the Grant right, naming the receiver. Its holder is the
// sender, so the sender is not a separate parameter.
pred channel[d: Cap] { one holder[d] }

pred map[d: Cap, c: Cap, n: Cap] {
  channel[d] and c in holder[d].caps and n in free and n.parent = c
  n.obj = c.obj and n.rights in c.rights
  caps' = caps + d.obj -> n
}

pred grant[d: Cap, c: Cap] {
  channel[d] and c in holder[d].caps and c != d
  caps' = caps - holder[d] -> c + d.obj -> c
}

pred copy[d: Cap, c: Cap, n: Cap] {
  channel[d] and c in holder[d].caps and n in free and no n.parent
  n.obj = c.obj and n.rights in c.rights
  caps' = caps + d.obj -> n
}

// Everything derived from c, at any depth, leaves every table; c stays.
pred revoke[c: Cap] {
  some holder[c]
  caps' = caps - Thread -> c.^~parent
}

pred skip { caps' = caps }

// The step taken: which transfer, and its arguments. Naming them in one place (instead of an
// existential over every argument triple) keeps the SAT problem small enough for SAT4J.
abstract sig Op {}
one sig OpMap, OpGrant, OpCopy, OpRevoke, OpSkip extends Op {}

one sig Step {
  var op: one Op,
  var chan: lone Cap,          // the channel: a held capability with Grant, naming the receiver
  var src: lone Cap,           // the capability being passed, or revoked
  var new: lone Cap            // the free atom a map or copy fills
}

pred transition {
  Step.op = OpSkip implies skip
  Step.op = OpMap implies (one Step.chan and one Step.src and one Step.new and map[Step.chan, Step.src, Step.new])
  Step.op = OpCopy implies (one Step.chan and one Step.src and one Step.new and copy[Step.chan, Step.src, Step.new])
  Step.op = OpGrant implies (one Step.chan and one Step.src and grant[Step.chan, Step.src])
  Step.op = OpRevoke implies (one Step.src and revoke[Step.src])
}

// The invariants, as predicates on one state.

// The confined group holds nothing leading out, and nobody outside can pass items into it.
pred confined {
  all t: Inside, c: t.caps | c.obj in Inside
  all t: Thread - Inside, c: t.caps | c.obj in Inside implies Grant not in c.rights
}

// Every held capability joins two threads connected in the boot authority graph.
pred connected {
  all t: Thread, c: t.caps | t -> c.obj in *(Boot.edge + ~(Boot.edge))
}

// A held entry has no right that an entry above it in the derivation tree lacks.
pred notAmplified {
  all c: Thread.caps, a: c.^parent | c.rights in a.rights
}

/*
 * Each assertion is checked by induction: the boot state satisfies the invariant, and from ANY
 * state satisfying it (not only reachable ones) every transition leads to a state satisfying
 * it. Within the scope (5 threads, 6 capabilities) that covers every reachable state, at any
 * depth, where a trace check covers only traces up to its step bound and, with SAT4J, needs
 * minutes for 4 steps at this scope. The trace check below confirms it on real traces from
 * boot, 8 steps deep, at a smaller scope.
 */

// The confined group never gains a capability leading out of it.
assert AuthorityConfinement {
  init implies confined
  (confined and transition) implies after confined
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

check ConfinementOnTraces for 3 Thread, 4 Cap, 2 Right, 1..8 steps

module Confinement_NoAuthorityFromNowhere

// Mutant: copy may name any thread, not the object of the copied capability.

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
 * atom itself (its children keep it as their parent). Keeping parent static lets the solver
 * handle 5 threads over 8 steps with SAT4J in seconds; the solver still chooses the tree.
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
pred channel[d: Cap] { some holder[d] and Grant in d.rights }

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
  n.rights in c.rights
  caps' = caps + d.obj -> n
}

// Everything derived from c, at any depth, leaves every table; c stays.
pred revoke[c: Cap] {
  some holder[c]
  caps' = caps - Thread -> c.^~parent
}

pred skip { caps' = caps }

fact behaviour {
  init
  always (
    skip
    or (some d, c, n: Cap | map[d, c, n] or copy[d, c, n])
    or (some d, c: Cap | grant[d, c])
    or (some c: Cap | revoke[c]))
}

// The confined group never gains a capability leading out of it.
assert AuthorityConfinement {
  always all t: Inside, c: t.caps | c.obj in Inside
}

// No authority from nowhere: every held capability joins two threads connected at boot.
assert NoAuthorityFromNowhere {
  always all t: Thread, c: t.caps | t -> c.obj in *(Boot.edge + ~(Boot.edge))
}

// A held entry derived from another never has more rights than any entry above it.
assert RightsNeverAmplified {
  always all c: Thread.caps, a: c.^parent | c.rights in a.rights
}

check NoAuthorityFromNowhere for 5 Thread, 6 Cap, 2 Right, 1..8 steps

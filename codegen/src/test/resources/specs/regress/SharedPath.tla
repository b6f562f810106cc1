----------------------------- MODULE SharedPath -----------------------------
(* Regression: an EXCEPT with two paths that may name the same element, the   *)
(* later one reading @.  TLA+ applies the paths in order, so the later @ is   *)
(* the value the earlier path wrote: moving s out of r's set and x into t's   *)
(* set with r = t must remove s and add x.  The in-place update once read @   *)
(* from the old state for every path and lost the earlier write (a page      *)
(* granted to oneself stayed in the free bitmap).                            *)
EXTENDS Naturals

CONSTANTS Ts, Ps

VARIABLES bits, n   \* bits[t]: a set per owner; n: a counter per owner

TypeOK == bits \in [Ts -> SUBSET Ps] /\ n \in [Ts -> 0..4]

Init == bits = [t \in Ts |-> {1}] /\ n = [t \in Ts |-> 0]

Move(t, r, s, x) ==
    /\ s \in bits[r]
    /\ bits' = [bits EXCEPT ![r] = @ \ {s}, ![t] = @ \cup {x}]
    /\ UNCHANGED n

Bump(t, r) ==
    /\ n[t] < 2 /\ n[r] < 2
    /\ n' = [n EXCEPT ![t] = @ + 1, ![r] = @ + 1]
    /\ UNCHANGED bits

Reset == n' = [t \in Ts |-> 0] /\ UNCHANGED bits

Next == (\E t, r \in Ts, s, x \in Ps : Move(t, r, s, x)) \/ (\E t, r \in Ts : Bump(t, r)) \/ Reset
=============================================================================

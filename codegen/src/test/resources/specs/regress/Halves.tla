------------------------------- MODULE Halves -------------------------------
(* Regression: a function over 0..(N \div 2), a range whose bound is computed from a constant. *)
EXTENDS Naturals

CONSTANTS N

VARIABLES on   \* one switch per position 0..N \div 2

TypeOK == on \in [0..(N \div 2) -> BOOLEAN]

Init == on = [i \in 0..(N \div 2) |-> FALSE]

Flip(i) == on' = [on EXCEPT ![i] = ~@]

Next == \E i \in 0..(N \div 2) : Flip(i)
=============================================================================

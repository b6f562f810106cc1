------------------------------ MODULE OneBased ------------------------------
(* Regression: a function over 1..N, updated with EXCEPT: TLC 2.18's takeExcept on an interval domain that
   does not start at 0 writes one slot to the right, so the oracle must not build one. *)
EXTENDS Naturals

CONSTANTS N

VARIABLES slots   \* one counter per slot 1..N

TypeOK == slots \in [1..N -> 0..3]

Init == slots = [i \in 1..N |-> 0]

Inc(i) == /\ slots[i] < 3
          /\ slots' = [slots EXCEPT ![i] = @ + 1]

Reset(i) == /\ slots[i] = 3
            /\ slots' = [slots EXCEPT ![i] = 0]

Next == \E i \in 1..N : Inc(i) \/ Reset(i)
=============================================================================

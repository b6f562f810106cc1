------------------------------ MODULE TupleRangeOutside ------------------------------
(* TupleRange with <<0, 4>> taken out of a set of (0..1) \X (0..3), whose packed word would be <<1, 0>>'s:
   TLC leaves the set as it is; the machine stops (TupleRangeOutsideTest), never takes <<1, 0>> out. *)
EXTENDS Integers

VARIABLES s, n

TypeOK == /\ s \in SUBSET ((0..1) \X (0..3))
          /\ n \in Int

Init == /\ s = {<<0, 0>>, <<1, 0>>, <<1, 3>>}
        /\ n = 0

Take(i, j) == /\ s' = s \ {<<i, j>>}
              /\ UNCHANGED n

Other(i, j) == /\ n' = (IF <<i, j>> \in s THEN 1 ELSE 0) + (IF s \cap {<<i, j>>} = {} THEN 10 ELSE 0)
               /\ UNCHANGED s

Put(i, j) == /\ s' = s \cup {<<i, j>>}
             /\ UNCHANGED n

Next == Take(0, 4)
=============================================================================

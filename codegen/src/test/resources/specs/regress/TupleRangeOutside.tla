------------------------------ MODULE TupleRangeOutside ------------------------------
(* TupleRange with <<0, 4>> put in a set of (0..1) \X (0..3), whose packed word would be <<1, 0>>'s: TLC
   gives a set the type has no value for; the machine stops (TupleRangeOutsideTest), never puts <<1, 0>> in. *)
EXTENDS Integers

VARIABLES s, n

TypeOK == /\ s \in SUBSET ((0..1) \X (0..3))
          /\ n \in Int

Init == /\ s = {<<0, 0>>, <<1, 3>>}
        /\ n = 0

Take(i, j) == /\ s' = s \ {<<i, j>>}
              /\ UNCHANGED n

Other(i, j) == /\ n' = (IF <<i, j>> \in s THEN 1 ELSE 0) + (IF s \cap {<<i, j>>} = {} THEN 10 ELSE 0)
               /\ UNCHANGED s

Put(i, j) == /\ s' = s \cup {<<i, j>>}
             /\ UNCHANGED n

Next == Put(0, 4)
=============================================================================

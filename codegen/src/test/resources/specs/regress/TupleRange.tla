------------------------------ MODULE TupleRange ------------------------------
(* Regression: tuples of integers packed into one word (mixed radix), taken out of, tested against and put
   in a set of tuples over (0..1) \X (0..3), with components at both ends of their ranges and outside them.
   <<0, 4>> would pack to <<1, 0>>'s word and <<1, -1>> to <<0, 3>>'s: TLC keeps them apart from every tuple of
   the type, so taking one out changes nothing, it is no member, and a set meeting it stays empty. Putting one
   in cannot be represented: TupleRangeOutside.tla, where the machine stops instead of putting in another. *)
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

Next == \/ \E i \in {0, 1}, j \in {-1, 0, 1, 3, 4} : Take(i, j) \/ Other(i, j)
        \/ \E i \in {0, 1}, j \in {0, 3} : Put(i, j)
=============================================================================

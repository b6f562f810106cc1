------------------------------ MODULE SeqOfSeq ------------------------------
(* Regression: the inner sequences have their own bound (2), not the outer one (3), and the other way round. *)
EXTENDS Naturals, Sequences

VARIABLES batches   \* a sequence of at most 3 batches of at most 2 items

TypeOK == /\ batches \in Seq(Seq(0..9))
          /\ \A i \in 1..Len(batches) : Len(batches[i]) <= 2
          /\ Len(batches) <= 3

Init == batches = <<>>

Open == /\ Len(batches) < 3
        /\ batches' = Append(batches, <<>>)

Add(x) == /\ Len(batches) > 0
          /\ Len(batches[Len(batches)]) < 2
          /\ batches' = [batches EXCEPT ![Len(batches)] = Append(@, x)]

Drop == /\ Len(batches) > 0
        /\ batches' = Tail(batches)

Next == Open \/ Drop \/ \E x \in 0..9 : Add(x)
=============================================================================

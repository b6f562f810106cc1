------------------------------ MODULE SeqOfSeq ------------------------------
(* Regression: the inner sequences have their own bound (3), not the outer one (2). *)
EXTENDS Naturals, Sequences

VARIABLES batches   \* a sequence of at most 2 batches of at most 3 items

TypeOK == /\ batches \in Seq(Seq(0..9))
          /\ Len(batches) <= 2
          /\ \A i \in 1..Len(batches) : Len(batches[i]) <= 3

Init == batches = <<>>

Open == /\ Len(batches) < 2
        /\ batches' = Append(batches, <<>>)

Add(x) == /\ Len(batches) > 0
          /\ Len(batches[Len(batches)]) < 3
          /\ batches' = [batches EXCEPT ![Len(batches)] = Append(@, x)]

Drop == /\ Len(batches) > 0
        /\ batches' = Tail(batches)

Next == Open \/ Drop \/ \E x \in 0..9 : Add(x)
=============================================================================

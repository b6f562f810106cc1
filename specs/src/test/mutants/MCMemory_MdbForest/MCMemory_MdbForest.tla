------------------------------- MODULE MCMemory_MdbForest -------------------------------
(***************************************************************************)
(* Bounded model of page transfers and unmap alone (Memory, no messages).  *)
(* a and b hold send+grant to each other; a owns frame 1                  *)
(* and b frame 2; frame 3 is free for copies.                              *)
(***************************************************************************)
EXTENDS MemoryPost

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..1
MCVPages == 1..2
MCFrames == 1..3

MCInitCSpace ==
    [t \in MCThreads |-> <<[obj |-> IF t = a THEN b ELSE a, rights |-> SR, gen |-> 0]>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1, NoFrame>> ELSE <<2, NoFrame>>]
=============================================================================

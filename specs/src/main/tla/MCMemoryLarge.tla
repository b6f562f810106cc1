------------------------------- MODULE MCMemoryLarge -------------------------------
(***************************************************************************)
(* Larger model of Memory (manifest default: false): 3 pages, 4 frames.  *)
(* a and b hold send+grant to each other; a owns frame 1                  *)
(* and b frame 2; frames 3 and 4 are free for copies.                     *)
(***************************************************************************)
EXTENDS Memory

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..1
MCVPages == 1..3
MCFrames == 1..4

MCInitCSpace ==
    [t \in MCThreads |-> <<[obj |-> IF t = a THEN b ELSE a, rights |-> SR, gen |-> 0]>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1, NoFrame, NoFrame>> ELSE <<2, NoFrame, NoFrame>>]
=============================================================================

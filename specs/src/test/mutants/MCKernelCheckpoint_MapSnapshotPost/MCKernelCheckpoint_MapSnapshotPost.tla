-------------------------- MODULE MCKernelCheckpoint_MapSnapshotPost --------------------------
(***************************************************************************)
(* Bounded model of Kernel with a checkpointer.  Thread a (process a, the  *)
(* confined group) holds send+grant to itself and owns frame 1 at page 1  *)
(* of two; frame 2 is free for a copy.  Thread c is the checkpointer       *)
(* (process c, two free pages) and holds send+grant to a.  The kernel maps *)
(* any frame's root into c (MapSnapshot) and c drops such a mapping        *)
(* (UnmapSnapshot); a can map its page to its other page (a mapping that   *)
(* is no root, which MapSnapshot must refuse) and unmap or copy it; c can  *)
(* map its snapshot page on to a (then it is no leaf, and UnmapSnapshot    *)
(* must refuse it).                                                        *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, c

SR == {"send", "grant"}
MCThreads == {a, c}
MCLocalIds == 1..1
MCVPages == 1..2
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<[obj |-> a, rights |-> SR, gen |-> 0]>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]
=============================================================================

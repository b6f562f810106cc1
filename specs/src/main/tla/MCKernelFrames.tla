---------------------------- MODULE MCKernelFrames ----------------------------
(***************************************************************************)
(* Bounded model of Kernel for the copy's choice of frame: a and b hold   *)
(* send+grant to each other and have two virtual pages each; a owns frame *)
(* 1 and frames 2 and 3 are free, so a copy may land in either (Kernel's   *)
(* CopyPage takes the frame as an argument: the implementation chooses).  *)
(* Every postcondition is checked for each choice; a second copy takes    *)
(* the frame the first one left.                                          *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..1
MCVPages == 1..2
MCFrames == 1..3
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<[obj |-> IF t = a THEN b ELSE a, rights |-> SR, gen |-> 0]>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]

\* Witness: a copy takes a frame while a lower one is free (a frame mapped now
\* that no boot page maps, above a free frame).
NoCopyAboveFree ==
    \A f \in Frames \ free, g \in free :
        f < g \/ \E x \in MCThreads, k \in MCVPages : MCInitPages[x][k] = f
=============================================================================

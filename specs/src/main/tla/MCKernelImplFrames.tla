-------------------------- MODULE MCKernelImplFrames --------------------------
(***************************************************************************)
(* KernelImpl refines Kernel when the free list of frames is not in       *)
(* increasing order: a holds send+grant to b, b holds send only back to  *)
(* a, so pages flow from a to b; each has two virtual pages; a owns frame *)
(* 1, and the boot's free list is 3 then 2, so the first copy takes frame *)
(* 3 while frame 2, a lower one, is free too (Kernel accepts any free     *)
(* frame), and the second copy takes frame 2.                             *)
(***************************************************************************)
EXTENDS KernelImplSteps

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..1
MCVPages == 1..2
MCFrames == 1..3
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |->
        IF t = a THEN <<[obj |-> b, rights |-> SR, gen |-> 0]>>
                 ELSE <<[obj |-> a, rights |-> {"send"}, gen |-> 0]>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]

\* Each process has one thread at boot: its list is that thread alone.
MCInitThrNext == [t \in MCThreads |-> NoObj]
\* No process object is free at boot.
MCInitFreeProcNext == [x \in MCThreads |-> NoObj]

\* The boot's free list of frames, highest first: 3, then 2.
DescendingFreeFrameHead == 3
DescendingFreeFrameNext == [f \in MCFrames |-> IF f = 3 THEN 2 ELSE NoFrame]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec

\* Witness: a copy takes a frame while a lower one is free (a frame mapped now
\* that no boot page maps, above a free frame).
NoCopyAboveFree ==
    \A f \in Frames \ free, g \in free :
        f < g \/ \E x \in MCThreads, k \in MCVPages : MCInitPages[x][k] = f
=============================================================================

----------------------- MODULE MCKernelImplLifecycleOneId -----------------------
(***************************************************************************)
(* MCKernelImplLifecycle with one local id per thread: a (process p,      *)
(* frame 1 at its one page) creates c in p or in q into its only slot, so  *)
(* it can never create twice, but it can still pass c its page and its    *)
(* capability, delete c (the deletion walk over c's slot) or c's process  *)
(* (the walk over its page and the mapping derived from a's), and create  *)
(* c again.  A fraction of MCKernelImplLifecycle's states: the creation    *)
(* and deletion code is checked by refinement in seconds.                 *)
(***************************************************************************)
EXTENDS KernelImplSteps, KernelImplWalks

CONSTANTS a, c, p, q

MCThreads == {a, c}
MCProcs == {p, q}
MCLocalIds == 1..1
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t = c THEN NoObj ELSE p]

MCInitPages == [x \in MCProcs |-> IF x = p THEN <<1>> ELSE <<NoFrame>>]

\* Each process has one thread at boot: its list is that thread alone.
MCInitThrNext == [t \in MCThreads |-> NoObj]
\* At most one process object is free at boot: the free list is it alone.
MCInitFreeProcNext == [x \in MCProcs |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec
=============================================================================

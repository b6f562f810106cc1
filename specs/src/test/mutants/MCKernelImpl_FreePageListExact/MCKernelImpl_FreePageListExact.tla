----------------------------- MODULE MCKernelImpl_FreePageListExact -----------------------------
(***************************************************************************)
(* KernelImpl refines Kernel, on a small configuration: thread a holds     *)
(* send+grant to b, b holds send only back to a, so items flow from a to  *)
(* b; a owns frame 1; frame 2 is free for copies.  (Checking the          *)
(* refinement costs TLC about ten times what the invariants cost, so the  *)
(* default model is small; MCKernelImplLarge is MCKernel's configuration.) *)
(* Refinement is Kernel's Spec over the mapping KernelImpl defines (its    *)
(* Abs operators); TLC checks it as a PROPERTY, together with              *)
(* KernelImpl's structural invariants.                                     *)
(***************************************************************************)
EXTENDS KernelImplSteps

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |->
        IF t = a THEN <<[obj |-> b, rights |-> SR, gen |-> 0], EmptyCap>>
                 ELSE <<[obj |-> a, rights |-> {"send"}, gen |-> 0], EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages ==
    [t \in MCThreads |->
        IF t = a THEN <<1>> ELSE <<NoFrame>>]

\* Each process has one thread at boot: its list is that thread alone.
MCInitThrNext == [t \in MCThreads |-> NoObj]
\* At most one process object is free at boot: the free list is it alone.
MCInitFreeProcNext == [x \in MCThreads |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec
=============================================================================

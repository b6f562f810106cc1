--------------------------- MODULE MCKernelImplFifo ---------------------------
(***************************************************************************)
(* KernelImpl with vectors of 2: a and b hold send only to each other,    *)
(* one local id each, no pages, and two payloads, so two messages of      *)
(* either kind can queue in one ring and the receiver must take them in   *)
(* order.  Every other KernelImpl model has vectors of 1, where the ring's *)
(* head is always 0 ((h + 1) % 1 = 0): a receive that forgot to advance    *)
(* the head, or read the wrong slot, refined Kernel there.                 *)
(***************************************************************************)
EXTENDS KernelImplSteps

CONSTANTS a, b

MCThreads == {a, b}
MCLocalIds == 1..1
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>, <<1, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<[obj |-> IF t = a THEN b ELSE a, rights |-> {"send"}, gen |-> 0]>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> <<NoFrame>>]

\* Each process has one thread at boot: its list is that thread alone.
MCInitThrNext == [t \in MCThreads |-> NoObj]
\* No process object is free at boot.
MCInitFreeProcNext == [x \in MCThreads |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec
=============================================================================

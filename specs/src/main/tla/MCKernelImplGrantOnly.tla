------------------------ MODULE MCKernelImplGrantOnly ------------------------
(***************************************************************************)
(* KernelImpl on MCKernelGrantOnly's configuration: a and b hold grant    *)
(* only (no send) to each other, two local ids and two virtual pages      *)
(* each; a maps frame 1, b frame 2, frame 3 is free for a copy.  Every    *)
(* call over those capabilities (a send, or a page or capability item)    *)
(* has all it needs but the send right, so KernelImpl must refuse each    *)
(* one: a call it accepts is no Kernel step, and Refinement fails.  (The  *)
(* other KernelImpl models hold send wherever they hold grant, so a page  *)
(* map or grant that skipped CanSend refined Kernel on every one.)         *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a, b

MCThreads == {a, b}
MCLocalIds == 1..2
MCVPages == 1..2
MCFrames == 1..3
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |-> <<[obj |-> IF t = a THEN b ELSE a, rights |-> {"grant"}, gen |-> 0], EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> <<IF t = a THEN 1 ELSE 2, NoFrame>>]

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

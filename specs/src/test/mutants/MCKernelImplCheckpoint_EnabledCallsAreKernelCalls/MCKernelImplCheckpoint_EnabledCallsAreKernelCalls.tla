------------------------ MODULE MCKernelImplCheckpoint_EnabledCallsAreKernelCalls ------------------------
(***************************************************************************)
(* KernelImpl refines Kernel with a checkpointer: MCKernelCheckpoint's     *)
(* configuration.  Thread a (process a) holds send+grant to itself and     *)
(* owns frame 1 at page 1 of two, frame 2 free; the checkpointer c         *)
(* (process c, two free pages) holds send+grant to a.  A snapshot mapping  *)
(* is linked right after its root (before a's own derived mapping, when    *)
(* there is one), and c's unmap unlinks a leaf from the middle or the end  *)
(* of a list.                                                              *)
(***************************************************************************)
EXTENDS KernelImplSteps

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

-------------------- MODULE MCKernelImplLifecycleThreads --------------------
(***************************************************************************)
(* KernelImpl's lists of threads with three thread objects: a runs alone   *)
(* in process p; c and e are free (the boot's free list c, e).  a creates  *)
(* both, the second while the first is already in p, so a creation links  *)
(* a thread into a list that goes on after its creator (a, e, c); deleting *)
(* e, or the whole process, unlinks a thread with a neighbour on each      *)
(* side; each object can be created again.  Only a creates and nothing is  *)
(* sent (the state constraint): capability and page transfers are the     *)
(* other models'; here the lists of threads are the point, in 106 states. *)
(***************************************************************************)
EXTENDS KernelImpl

CONSTANTS a, c, e, p

MCThreads == {a, c, e}
MCProcs == {p}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap, EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t = a THEN p ELSE NoObj]

MCInitPages == [x \in MCProcs |-> <<NoFrame>>]

\* a is alone in p; the free thread objects are chained c, e.
MCInitThrNext == [t \in MCThreads |-> IF t = c THEN e ELSE NoObj]
\* No process object is free: the free list is empty.
MCInitFreeProcNext == [x \in MCProcs |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec

\* The state constraint: only a creates, nothing is sent (no capability or
\* page moves; p has no page).
OnlyACreates ==
    /\ \A x \in hCreated : x[1] = a
    /\ \A t \in Threads : msgCount[t] = 0
=============================================================================

-------------------- MODULE MCKernelImplLifecycleThreads_FreePageListExact --------------------
(***************************************************************************)
(* KernelImpl's lists of threads with three thread objects: a runs alone   *)
(* in process p; c and e are free (the boot's free list c, e), and so is   *)
(* process object q.  a creates both in p, the second while the first is  *)
(* already there, so a creation links a thread into a list that goes on    *)
(* after its creator (a, e, c); deleting e, or the whole process, unlinks  *)
(* a thread with a neighbour on each side.  Or a creates c in q and c      *)
(* creates e there (c, e): deleting c unlinks the head of a list that      *)
(* goes on.  Nothing is sent (the state constraint): capability and page   *)
(* transfers are the other models'; here the lists of threads are the      *)
(* point.  p maps frame 1 at its one page, so a deletion that took a     *)
(* thread with a neighbour for the last of its process (and emptied the   *)
(* address space the other thread runs in) changes the abstract pages.    *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a, c, e, p, q

MCThreads == {a, c, e}
MCProcs == {p, q}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap, EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t = a THEN p ELSE NoObj]

MCInitPages == [x \in MCProcs |-> IF x = p THEN <<1>> ELSE <<NoFrame>>]

\* a is alone in p; the free thread objects are chained c, e.
MCInitThrNext == [t \in MCThreads |-> IF t = c THEN e ELSE NoObj]
\* One process object is free at boot: the free list is it alone.
MCInitFreeProcNext == [x \in MCProcs |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec

\* The state constraint: nothing is sent (no capability or page moves).
NothingSent == \A t \in Threads : msgCount[t] = 0
=============================================================================

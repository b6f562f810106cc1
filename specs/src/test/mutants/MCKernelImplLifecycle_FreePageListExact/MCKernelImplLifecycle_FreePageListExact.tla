----------------------- MODULE MCKernelImplLifecycle_FreePageListExact -----------------------
(***************************************************************************)
(* KernelImpl's processes and thread creation refine Kernel, on the        *)
(* configuration of MCKernelLifecycle: thread a runs in process p (frame 1 *)
(* at its one page); thread object c and process object q are free, so a   *)
(* can create c in p (two threads sharing one address space) or in q, and  *)
(* pass pages and capabilities to it.                                       *)
(***************************************************************************)
EXTENDS KernelImpl

CONSTANTS a, c, p, q

MCThreads == {a, c}
MCProcs == {p, q}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap, EmptyCap>>]

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

\* Witnesses (the manifest expects each violated): a thread is created in its
\* creator's process (CreateThread), and in a process object no thread used at
\* boot (CreateProcess).
NoSharedProcess == \A u, x \in Threads : u # x /\ proc[u] # NoObj => proc[u] # proc[x]
NoNewProcess == \A u \in Threads : proc[u] \in {InitProc[x] : x \in Threads}
=============================================================================

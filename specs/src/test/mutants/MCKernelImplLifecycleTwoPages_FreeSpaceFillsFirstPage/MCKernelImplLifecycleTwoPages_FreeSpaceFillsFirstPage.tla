------------------ MODULE MCKernelImplLifecycleTwoPages_FreeSpaceFillsFirstPage ---------------------
(***************************************************************************)
(* MCKernelImplLifecycleOneId with two pages per address space: a (process *)
(* p, frame 1 at page 1) creates c in q and maps it its page; c, given a   *)
(* capability to itself, maps that page on to its own second page, or      *)
(* grants it there.  So the mapping list of frame 1 can hold three entries *)
(* and the deletion walk of q meets a page with a derived mapping still    *)
(* below it, or with another entry after it.                              *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a, c, p, q

MCThreads == {a, c}
MCProcs == {p, q}
MCLocalIds == 1..1
MCVPages == 1..2
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t = c THEN NoObj ELSE p]

MCInitPages == [x \in MCProcs |-> IF x = p THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]

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

\* The state constraint: c lives only in q; what is sent is a page mapped or
\* granted, or a capability mapped with every right (copies, plain sends and
\* narrower masks are the other models').
PagesOnly ==
    /\ proc[c] \in {q, NoObj}
    /\ \A t \in Threads, i \in 1..MaxMsgs :
          msgBuf[t][i].from # NoObj => msgBuf[t][i].item.kind \in {"mapPage", "grantPage", "mapCap"}
    /\ \A t \in Threads, l \in LocalIds : cspace[t][l].rights \in {{}, Rights}
=============================================================================

------------------- MODULE MCKernelImplLifecycleCaps ------------------------
(***************************************************************************)
(* MCKernelImplLifecycle's capabilities without its pages: a (process p,  *)
(* no page) creates c, maps it its capability to c, and c grants that to   *)
(* itself (it moves to c's second slot) before a maps it once more (into   *)
(* c's first): the derivation list is a, then c's first slot, then its     *)
(* second, and the deletion walk of c's table meets a slot with another    *)
(* entry after it.                                                        *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a, c, p, q

MCThreads == {a, c}
MCProcs == {p, q}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap, EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t = c THEN NoObj ELSE p]

MCInitPages == [x \in MCProcs |-> <<NoFrame>>]

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

\* The state constraint: what is sent is a capability mapped or granted with
\* every right (copies, plain sends, narrower masks and pages are the other
\* models').
CapsOnly ==
    /\ \A t \in Threads, i \in 1..MaxMsgs :
          msgBuf[t][i].from # NoObj => msgBuf[t][i].item.kind \in {"mapCap", "grantCap"}
    /\ \A t \in Threads, l \in LocalIds : cspace[t][l].rights \in {{}, Rights}
=============================================================================

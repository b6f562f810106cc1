------------------------- MODULE MCKernelImplRights -------------------------
(***************************************************************************)
(* KernelImpl with capabilities of fewer rights than their holder could   *)
(* pass on: thread a holds send+grant to b and, in its second slot, send  *)
(* only to b; b holds send+grant to a.  So a map, copy or grant can name  *)
(* an entry with fewer rights than the capability it goes through, and    *)
(* each asks for any subset of the rights.  (The lifecycle models keep    *)
(* every capability with all rights or none, and MCKernelImpl's b holds   *)
(* send only: no map there names a weaker entry.)  No pages, no free      *)
(* objects: only capabilities move.                                        *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |->
        IF t = a THEN <<[obj |-> b, rights |-> SR, gen |-> 0], [obj |-> b, rights |-> {"send"}, gen |-> 0]>>
                 ELSE <<[obj |-> a, rights |-> SR, gen |-> 0], EmptyCap>>]

\* One process per thread, named like it; no page is mapped.
MCInitProc == [t \in MCThreads |-> t]
MCInitPages == [t \in MCThreads |-> <<NoFrame>>]
MCInitThrNext == [t \in MCThreads |-> NoObj]
MCInitFreeProcNext == [x \in MCThreads |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec
=============================================================================

------------------------- MODULE MCKernelImplBoot -------------------------
(***************************************************************************)
(* KernelImpl's boot with lists that are more than one entry long: threads *)
(* a and b share process p at boot (its list a, b); thread objects e and c *)
(* are free, chained e, c, and so are process objects r and q, chained     *)
(* r, q, so neither list starts at its first element in TLC's order; no    *)
(* generation is left (MaxGen = 0), so every thread alive at boot has      *)
(* spent its process's generations and no thread can be deleted.  a and b *)
(* create threads from the free lists, in p or in new processes.  Nothing *)
(* is sent (the state constraint): the boot's lists are the point.        *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a, b, c, e, p, q, r

MCThreads == {a, b, c, e}
MCProcs == {p, q, r}
MCLocalIds == 1..1
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t \in {a, b} THEN p ELSE NoObj]

MCInitPages == [x \in MCProcs |-> <<NoFrame>>]

\* p's list is a, b; the free thread objects are chained e, c.
MCInitThrNext == [t \in MCThreads |-> CASE t = a -> b [] t = e -> c [] OTHER -> NoObj]
\* The free process objects are chained r, q.
MCInitFreeProcNext == [x \in MCProcs |-> IF x = r THEN q ELSE NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec

\* The state constraint: nothing is sent (no capability or page moves).
NothingSent == \A t \in Threads : msgCount[t] = 0
=============================================================================

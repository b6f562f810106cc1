----------------------- MODULE MCKernelImplGrantChain ------------------------
(***************************************************************************)
(* KernelImpl granting an entry that has both a parent and a successor in *)
(* its derivation list.  Thread a (one process, no page) holds send+grant *)
(* to itself in the first of four slots and maps that capability to       *)
(* itself twice: the second copy goes right after the root, so the list   *)
(* is slot 1, slot 3, slot 2.  Granting slot 3 on (into slot 4) must link *)
(* the new node between slot 1 and slot 2 and leave slot 3 unlinked.  In  *)
(* the other models every granted entry is a root or the last of its      *)
(* list, where ReplaceNext and ReplacePrev have nothing to hand over.     *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a

MCThreads == {a}
MCLocalIds == 1..4
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<[obj |-> a, rights |-> Rights, gen |-> 0], EmptyCap, EmptyCap, EmptyCap>>]

\* One process, named like its thread; no page is mapped.
MCInitProc == [t \in MCThreads |-> t]
MCInitPages == [x \in MCThreads |-> <<NoFrame>>]
MCInitThrNext == [t \in MCThreads |-> NoObj]
MCInitFreeProcNext == [x \in MCThreads |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec

\* The state constraint: what is sent is a capability mapped or granted with
\* every right, and nothing is derived from a derived entry (copies, plain
\* sends, narrower masks and derivations three deep are the other models').
CapsOnly ==
    /\ \A t \in Threads, i \in 1..MaxMsgs :
          msgBuf[t][i].from # NoObj => msgBuf[t][i].item.kind \in {"mapCap", "grantCap"}
    /\ \A t \in Threads, l \in LocalIds : cspace[t][l].rights \in {{}, Rights}
    /\ \A t \in Threads, l \in LocalIds : capDepth[t][l] <= 1
=============================================================================

-------------------------- MODULE MCKernelImplSlots_FreeSlotListExact --------------------------
(***************************************************************************)
(* KernelImpl's free lists of slots out of increasing order.  Thread a    *)
(* holds send+grant to b in slot 1; b's table is empty: two free slots, 1  *)
(* then 2 on its boot list.  A map of a's slot 1 lands in b's slot 1 (2 is *)
(* free too: two free slots while a fill is enabled); b, holding           *)
(* send+grant to itself there, grants it to itself (it lands in slot 2,    *)
(* slot 1 is pushed) or maps it to itself (slot 2, a child of slot 1).     *)
(* a's revoke then pushes 2 in front of 1: b's list is 2, 1, and the next  *)
(* map, copy or grant into b lands in slot 2 while slot 1, a lower one, is *)
(* free (Kernel accepts any free slot), and the one after in slot 1.       *)
(* No pages, no free objects, one message a ring: only capabilities move. *)
(* Checked: Refinement and KernelImpl's structural invariants, among them *)
(* FreeSlotListExact; not the postconditions of the calls (the lifecycle  *)
(* and rights models check those), so the model stays small.             *)
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
        IF t = a THEN <<[obj |-> b, rights |-> SR, gen |-> 0], EmptyCap>> ELSE <<EmptyCap, EmptyCap>>]

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

(* ------------------------------ witnesses ------------------------------ *)

\* A map or copy into r is enabled (r has a free slot and someone can send it an entry).
FillEnabled(r) ==
    \E t \in MCThreads, d, l, s \in MCLocalIds, w \in MCPayloads, m \in SUBSET Rights :
        /\ Target(t, d) = r
        /\ (ENABLED MapCap(t, d, w, l, m, s) \/ ENABLED CopyCap(t, d, w, l, m, s))

\* Witness: r has two free slots, the head of its list above the next one, while a fill into r
\* is enabled: a push put a slot in front of a lower free one, and the next fill takes it.
NoFillAboveFreeEnabled ==
    \A r \in MCThreads :
        LET h == freeSlotHead[r] IN
        (h # NoSlot /\ freeSlotNext[r][h] # NoSlot /\ freeSlotNext[r][h] < h) => ~FillEnabled(r)

\* A step takes the free slot s of r (a map, copy or grant lands an entry in it, or a creation its
\* capability), and only s, while a lower slot of r stays free.
LandsAboveFree ==
    \E r \in MCThreads : \E s \in freeSlots[r] :
        /\ freeSlots'[r] = freeSlots[r] \ {s}
        /\ \E k \in freeSlots'[r] : k < s

\* Witness (an action property, checked on every step): an entry lands in a slot while a lower
\* slot of the same table is free.
NoEntryAboveFree == [][~LandsAboveFree]_vars
=============================================================================

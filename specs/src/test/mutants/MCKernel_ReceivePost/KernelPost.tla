----------------------------- MODULE KernelPost -----------------------------
(***************************************************************************)
(* Postconditions of every kernel call of Kernel.tla, as action properties *)
(* TLC checks ([][Op(args) => Effect]_vars, listed as PROPERTIES in the   *)
(* cfgs).  Each is the capability, page or IPC effect of CSpacePost,       *)
(* MemoryPost and IpcPost (written independently of the operators), plus  *)
(* the message the call delivers and "the rest of the state is as it     *)
(* was".  The receiver and its landing slot are read from the caller's    *)
(* table here, not through the kernel's own lookups; the message must    *)
(* record the slot the item landed in.                                     *)
(*                                                                         *)
(* The witnesses at the end are "it never happens" statements about the    *)
(* situations a bug could hide in; bounded models that must reach them    *)
(* check them and the manifest expects each violated.  For the checker     *)
(* only; never compiled.                                                   *)
(***************************************************************************)
EXTENDS Kernel, CSpacePost, MemoryPost, IpcPost

Recv(t, d) == cspace[t][d].obj
\* Only a running thread calls the kernel: one blocked in Wait makes no call.
Caller(t) == ~waiting[t]
PagesKeep == pt' = pt /\ mdb' = mdb /\ frameData' = frameData /\ free' = free

SendPost ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads :
          Send(t, d, w) =>
              /\ Caller(t)
              /\ "send" \in cspace[t][d].rights
              /\ DeliverEffect(t, Recv(t, d), w, "none", 0)
              /\ CapsKeep /\ PagesKeep]_vars

MapPagePost ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
          MapPage(t, d, w, v) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ PageMapEffect(t, r, LandingPage(r), v)
              /\ DeliverEffect(t, r, w, "mapPage", LandingPage(r))
              /\ CapsKeep]_vars

GrantPagePost ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
          GrantPage(t, d, w, v) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ PageGrantEffect(t, r, LandingPage(r), v)
              /\ DeliverEffect(t, r, w, "grantPage", LandingPage(r))
              /\ CapsKeep]_vars

CopyPagePost ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
          CopyPage(t, d, w, v) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ PageCopyEffect(t, r, LandingPage(r), v)
              /\ DeliverEffect(t, r, w, "copyPage", LandingPage(r))
              /\ CapsKeep]_vars

MapCapPost ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights :
          MapCap(t, d, w, l, m) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ CapMapEffect(t, r, LandingSlot(r), l, m)
              /\ DeliverEffect(t, r, w, "mapCap", LandingSlot(r))
              /\ PagesKeep]_vars

GrantCapPost ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds :
          GrantCap(t, d, w, l) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ CapGrantEffect(t, r, LandingSlot(r), l)
              /\ DeliverEffect(t, r, w, "grantCap", LandingSlot(r))
              /\ PagesKeep]_vars

CopyCapPost ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights :
          CopyCap(t, d, w, l, m) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ CapCopyEffect(t, r, LandingSlot(r), l, m)
              /\ DeliverEffect(t, r, w, "copyCap", LandingSlot(r))
              /\ PagesKeep]_vars

ReceivePost ==
    [][\A t \in Threads : Receive(t) => Caller(t) /\ ReceiveEffect(t) /\ CapsKeep /\ PagesKeep]_vars

WaitPost ==
    [][\A t \in Threads : Wait(t) => Caller(t) /\ WaitEffect(t) /\ CapsKeep /\ PagesKeep]_vars

UnmapPost ==
    [][\A t \in Threads, v \in VPages :
          Unmap(t, v) => Caller(t) /\ PageUnmapEffect(t, v) /\ CapsKeep /\ inbox' = inbox /\ waiting' = waiting]_vars

RevokePost ==
    [][\A t \in Threads, l \in LocalIds :
          Revoke(t, l) => Caller(t) /\ CapRevokeEffect(t, l) /\ PagesKeep /\ inbox' = inbox /\ waiting' = waiting]_vars

(* ---------------------------- witnesses -------------------------------- *)

\* A revoke that removes a grandchild (or deeper) of the revoked entry.
NoRevokeOfGrandchild ==
    [][\A t \in Threads, l \in LocalIds : Revoke(t, l) => ~HasCapGrandchild(<<t, l>>)]_vars

\* An unmap that flushes a grandchild (or deeper) of the unmapped page.
NoUnmapOfGrandchild ==
    [][\A t \in Threads, v \in VPages : Unmap(t, v) => ~HasPageGrandchild(<<t, v>>)]_vars

\* A receive with two messages queued (it must take the oldest and keep the other).
NoReceiveOfTwo == [][\A t \in Threads : Receive(t) => Len(inbox[t]) < 2]_vars

\* A grant of an entry that was itself derived by a map.
NoGrantOfDerivedCap ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds :
          GrantCap(t, d, w, l) => capAnc[t][l] = {}]_vars

\* A grant of a mapping that was itself derived by a map.
NoGrantOfDerivedPage ==
    [][\A t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
          GrantPage(t, d, w, v) => mdb[t][v].anc = {}]_vars

=============================================================================

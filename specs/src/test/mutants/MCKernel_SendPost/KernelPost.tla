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
\* No thread or process is created or deleted.
LifeKeep == proc' = proc /\ gen' = gen
\* The capability in t's slot d names a live thread of its own generation.
Current(t, d) == cspace[t][d].gen = gen[Recv(t, d)] /\ proc[Recv(t, d)] # NoProc

SendPost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads :
          Send(t, d, w) =>
              /\ Caller(t)
              /\ "send" \in cspace[t][d].rights
              /\ Current(t, d)
              /\ DeliverEffect(t, Recv(t, d), gen[t], w, "none", 0)
              /\ CapsKeep /\ PagesKeep /\ LifeKeep]_vars

MapPagePost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages :
          MapPage(t, d, w, v, p) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ PageMapEffect(SpaceOf(t), SpaceOf(r), p, v)
              /\ DeliverEffect(t, r, gen[t], w, "mapPage", p)
              /\ CapsKeep /\ LifeKeep]_vars

GrantPagePost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages :
          GrantPage(t, d, w, v, p) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ PageGrantEffect(SpaceOf(t), SpaceOf(r), p, v)
              /\ DeliverEffect(t, r, gen[t], w, "grantPage", p)
              /\ CapsKeep /\ LifeKeep]_vars

CopyPagePost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages, f \in Frames :
          CopyPage(t, d, w, v, f, p) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ PageCopyEffect(SpaceOf(t), SpaceOf(r), p, v, f)
              /\ DeliverEffect(t, r, gen[t], w, "copyPage", p)
              /\ CapsKeep /\ LifeKeep]_vars

MapCapPost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights, s \in LocalIds :
          MapCap(t, d, w, l, m, s) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ CapMapEffect(t, r, s, l, m)
              /\ DeliverEffect(t, r, gen[t], w, "mapCap", s)
              /\ PagesKeep /\ LifeKeep]_vars

GrantCapPost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, l, s \in LocalIds :
          GrantCap(t, d, w, l, s) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ CapGrantEffect(t, r, s, l)
              /\ DeliverEffect(t, r, gen[t], w, "grantCap", s)
              /\ PagesKeep /\ LifeKeep]_vars

CopyCapPost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights, s \in LocalIds :
          CopyCap(t, d, w, l, m, s) =>
              LET r == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ CapCopyEffect(t, r, s, l, m)
              /\ DeliverEffect(t, r, gen[t], w, "copyCap", s)
              /\ PagesKeep /\ LifeKeep]_vars

ReceivePost ==
    [][UNCHANGED vars \/ \A t \in Threads : Receive(t) => Caller(t) /\ ReceiveEffect(t) /\ CapsKeep /\ PagesKeep /\ LifeKeep]_vars

WaitPost ==
    [][UNCHANGED vars \/ \A t \in Threads : Wait(t) => Caller(t) /\ WaitEffect(t) /\ CapsKeep /\ PagesKeep /\ LifeKeep]_vars

UnmapPost ==
    [][UNCHANGED vars \/ \A t \in Threads, v \in VPages :
          Unmap(t, v) =>
              Caller(t) /\ PageUnmapEffect(SpaceOf(t), v) /\ CapsKeep /\ inbox' = inbox /\ waiting' = waiting
              /\ LifeKeep]_vars

RevokePost ==
    [][UNCHANGED vars \/ \A t \in Threads, l \in LocalIds :
          Revoke(t, l) =>
              Caller(t) /\ CapRevokeEffect(t, l) /\ PagesKeep /\ inbox' = inbox /\ waiting' = waiting
              /\ LifeKeep]_vars

(* ---------------------------- lifecycle -------------------------------- *)

\* A creation: the caller's free slot s (whichever the call chose) names the
\* new thread u with every right and u's generation, and derives from
\* nothing; u runs in process q with an empty table and nothing queued;
\* nothing else changes.
CreateEffect(t, u, q, s) ==
    /\ Caller(t)
    /\ CapFree(t, s)
    /\ proc[u] = NoProc
    /\ cspace'[t][s] = [obj |-> u, rights |-> {"send", "grant"}, gen |-> gen[u]]
    /\ capAnc'[t][s] = {}
    /\ CapOthersKeep({<<t, s>>})
    /\ proc' = [proc EXCEPT ![u] = q]
    /\ waiting' = [waiting EXCEPT ![u] = FALSE]
    /\ \A l \in LocalIds : cspace'[u][l].obj = NoObj
    /\ inbox' = inbox /\ inbox'[u] = <<>> /\ hInFlight' = hInFlight /\ gen' = gen
    /\ PagesKeep

CreateThreadPost ==
    [][UNCHANGED vars \/ \A t, u \in Threads, s \in LocalIds : CreateThread(t, u, s) => CreateEffect(t, u, proc[t], s)]_vars

CreateProcessPost ==
    [][UNCHANGED vars \/ \A t, u \in Threads, q \in Procs, s \in LocalIds :
          CreateProcess(t, u, q, s) =>
              /\ CreateEffect(t, u, q, s)
              /\ \A x \in Threads : proc[x] # q
              /\ \A v \in VPages : pt[q][v] = NoFrame]_vars

\* The entries of D's tables and every entry derived from one, at any depth;
\* the mappings of Q's address spaces and every mapping derived from one.
CapsOfGone(D) ==
    LET own == {n \in CapNodes : n[1] \in D} IN own \cup UNION {CapDescendants(n) : n \in own}
PagesOfGone(Q) ==
    LET own == {n \in PageNodes : n[1] \in Q} IN own \cup UNION {PageDescendants(n) : n \in own}

\* A deletion of threads D and address spaces Q: exactly what they held and
\* what derived from it is gone, a frame left unmapped returns to the
\* allocator, D's vectors are emptied, D's objects are free and one
\* generation older; every other thread, message and frame is as it was.
DeleteEffect(D, Q) ==
    LET gc == CapsOfGone(D)
        gp == PagesOfGone(Q)
        freed == {f \in Frames \ free : \A n \in PageNodes : pt[n[1]][n[2]] = f => n \in gp}
    IN
    /\ \A n \in gc : cspace'[n[1]][n[2]] = EmptyCap /\ capAnc'[n[1]][n[2]] = {}
    /\ CapOthersKeep(gc)
    /\ \A n \in gp : pt'[n[1]][n[2]] = NoFrame /\ mdb'[n[1]][n[2]] = NoMapping
    /\ PageOthersKeep(gp)
    /\ free' = free \cup freed
    /\ \A f \in Frames : frameData'[f] = IF f \in freed THEN NoData ELSE frameData[f]
    /\ \A x \in Threads :
          IF x \in D
          THEN proc'[x] = NoProc /\ gen'[x] = gen[x] + 1 /\ inbox'[x] = <<>> /\ waiting'[x]
          ELSE proc'[x] = proc[x] /\ gen'[x] = gen[x] /\ inbox'[x] = inbox[x] /\ waiting'[x] = waiting[x]

DeleteThreadPost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds :
          DeleteThread(t, d) =>
              LET u == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ DeleteEffect({u}, IF \A x \in Threads \ {u} : proc[x] # proc[u] THEN {proc[u]} ELSE {})]_vars

DeleteProcessPost ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds :
          DeleteProcess(t, d) =>
              LET u == Recv(t, d) IN
              /\ Caller(t)
              /\ {"send", "grant"} \subseteq cspace[t][d].rights
              /\ Current(t, d)
              /\ DeleteEffect({x \in Threads : proc[x] = proc[u]}, {proc[u]})]_vars

(* ---------------------------- checkpoints ------------------------------ *)

\* The kernel's map of a snapshot's frame: c is a declared, live checkpointer;
\* x's page v was its frame's root; c's free page p (whichever the kernel chose)
\* now maps that frame, derived from the root alone; nothing else changes (no
\* message, no capability).
MapSnapshotPost ==
    [][UNCHANGED vars \/ \A c \in Threads, x \in Procs, v, p \in VPages :
          MapSnapshot(c, x, v, p) =>
              /\ c \in Checkpointers /\ proc[c] # NoProc
              /\ pt[x][v] # NoFrame /\ mdb[x][v].anc = {}
              /\ PageMapEffect(x, SpaceOf(c), p, v)
              /\ CapsKeep /\ inbox' = inbox /\ waiting' = waiting /\ hInFlight' = hInFlight /\ LifeKeep]_vars

\* The checkpointer's unmap: c's page v was derived and a leaf; exactly that
\* mapping is gone, and its frame keeps every other mapping and its contents.
UnmapSnapshotPost ==
    [][UNCHANGED vars \/ \A c \in Threads, v \in VPages :
          UnmapSnapshot(c, v) =>
              LET n == <<SpaceOf(c), v>> IN
              /\ c \in Checkpointers /\ proc[c] # NoProc
              /\ pt[n[1]][n[2]] # NoFrame /\ mdb[n[1]][n[2]].anc # {}
              /\ PageDescendants(n) = {}
              /\ pt'[n[1]][n[2]] = NoFrame /\ mdb'[n[1]][n[2]] = NoMapping
              /\ PageOthersKeep({n})
              /\ FramesKeep
              /\ CapsKeep /\ inbox' = inbox /\ waiting' = waiting /\ hInFlight' = hInFlight /\ LifeKeep]_vars

(* ---------------------------- witnesses -------------------------------- *)

\* A thread created from a free object and deleted again.
NoCreatedThreadDeleted == \A u \in Threads : InitProc[u] = NoProc => gen[u] = 0

\* A running thread holds a send capability to a thread object that was
\* deleted and reused: its send is refused ("no such object").
NoStaleCapToReusedObject ==
    ~\E x \in Threads, k \in LocalIds :
        /\ ~waiting[x]
        /\ "send" \in cspace[x][k].rights
        /\ cspace[x][k].gen < gen[cspace[x][k].obj]
        /\ proc[cspace[x][k].obj] # NoProc

\* A revoke that removes a grandchild (or deeper) of the revoked entry.
NoRevokeOfGrandchild ==
    [][UNCHANGED vars \/ \A t \in Threads, l \in LocalIds : Revoke(t, l) => ~HasCapGrandchild(<<t, l>>)]_vars

\* An unmap that flushes a grandchild (or deeper) of the unmapped page.
NoUnmapOfGrandchild ==
    [][UNCHANGED vars \/ \A t \in Threads, v \in VPages : Unmap(t, v) => ~HasPageGrandchild(<<t, v>>)]_vars

\* A receive with two messages queued (it must take the oldest and keep the other).
NoReceiveOfTwo == [][UNCHANGED vars \/ \A t \in Threads : Receive(t) => Len(inbox[t]) < 2]_vars

\* A grant of an entry that was itself derived by a map.
NoGrantOfDerivedCap ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, l, s \in LocalIds :
          GrantCap(t, d, w, l, s) => capAnc[t][l] = {}]_vars

\* A grant of a mapping that was itself derived by a map.
NoGrantOfDerivedPage ==
    [][UNCHANGED vars \/ \A t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages :
          GrantPage(t, d, w, v, p) => mdb[t][v].anc = {}]_vars

=============================================================================

------------------------------- MODULE CSpace -------------------------------
(***************************************************************************)
(* Capability tables.  Each thread names kernel objects only through its   *)
(* own table, from local ids to (object, rights); no operation takes a     *)
(* global thread id.  The objects are threads (IPC endpoints), so a        *)
(* capability is the authority to send to a thread, and, with the "grant"  *)
(* right, to pass items (pages, capabilities) along that channel.          *)
(*                                                                         *)
(* The three capability transfers:                                         *)
(*   map   the receiver's entry is derived from the sender's and is        *)
(*         revoked with it (capAnc records the derivation);                *)
(*   grant the entry moves: the sender loses it, the receiver takes its    *)
(*         place in the derivation tree;                                   *)
(*   copy  an independent entry, never revoked with the original.          *)
(* In all three the receiver gets no more rights than the sender holds.    *)
(* A capability also carries the generation of the object it names: a    *)
(* deleted thread's object may be reused (Kernel.tla), and a capability   *)
(* of an older generation then refuses instead of naming the new thread.  *)
(*                                                                         *)
(* The kernel (Kernel.tla) performs these transfers as the item of an IPC  *)
(* message.  The CSpace* actions below are the same transfers without a    *)
(* message, so that MCCSpace can check the authority invariants on the     *)
(* take-grant core alone.                                                  *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Threads,     \* the threads, model values
    LocalIds,    \* the slots of every capability table, 1..K
    NoObj,       \* model value: the object of an empty slot
    InitCSpace,  \* boot tables, [Threads -> [LocalIds -> Cap]]: the initial authority graph
    Confined     \* the confined group: at boot none of its members holds a capability leading out of it

VARIABLES
    cspace,  \* cspace[t][l]: t's capability in slot l (EmptyCap when the slot is free)
    capAnc   \* capAnc[t][l]: every entry t's slot l was derived from by a map (all its ancestors); revocation follows it

cspaceVars == <<cspace, capAnc>>

Rights == {"send", "grant"}
Cap == [obj: Threads \cup {NoObj}, rights: SUBSET Rights, gen: Nat]
EmptyCap == [obj |-> NoObj, rights |-> {}, gen |-> 0]
CapNodes == Threads \X LocalIds

ASSUME InitCSpace \in [Threads -> [LocalIds -> Cap]]
ASSUME Confined \subseteq Threads
ASSUME \A x \in Confined, k \in LocalIds : InitCSpace[x][k].obj \in Confined \cup {NoObj}

CSpaceTypeOK ==
    /\ cspace \in [Threads -> [LocalIds -> Cap]]
    /\ capAnc \in [Threads -> [LocalIds -> SUBSET CapNodes]]

NoAncestors == [t \in Threads |-> [l \in LocalIds |-> {}]]

CSpaceInit ==
    /\ cspace = InitCSpace
    /\ capAnc = NoAncestors

(* ---------------------------- lookups ---------------------------------- *)

\* The thread t's local id d names.
Target(t, d) == cspace[t][d].obj

FreeSlots(t) == {l \in LocalIds : cspace[t][l].obj = NoObj}

\* An item lands in a free slot of the receiver that the implementation
\* chooses (the sender cannot name the receiver's slots): the choice is the
\* transfer's argument s, so the kernel keeps its free slots as it likes (a
\* free list), and the message tells the receiver where the item landed.

\* Replace node a by node b in an ancestor set (a granted entry keeps its place).
Rename(S, a, b) == IF a \in S THEN (S \ {a}) \cup {b} ELSE S

(* ---------------------------- guards ----------------------------------- *)

HoldsCap(t, l) == cspace[t][l].obj # NoObj
\* An empty slot has no rights, so these also refuse a bad local id.
CanSend(t, d) == "send" \in cspace[t][d].rights
CanGrant(t, d) == "grant" \in cspace[t][d].rights
ReceiverHasFreeSlot(t, d) == FreeSlots(Target(t, d)) # {}
\* s is a free slot of r's: any, the implementation's choice.
SlotAvailable(r, s) == s \in FreeSlots(r)
RightsWithin(t, l, m) == m # {} /\ m \subseteq cspace[t][l].rights

(* ------------- the transfers, as the new values they produce ----------- *)

MapCapTable(t, d, l, m, s) ==
    LET r == Target(t, d) IN
    [cspace EXCEPT ![r][s] = [obj |-> cspace[t][l].obj, rights |-> m, gen |-> cspace[t][l].gen]]

MapCapAnc(t, d, l, s) ==
    LET r == Target(t, d) IN
    [capAnc EXCEPT ![r][s] = capAnc[t][l] \cup {<<t, l>>}]

GrantCapTable(t, d, l, s) ==
    LET r == Target(t, d)
    IN  [cspace EXCEPT ![r][s] = cspace[t][l], ![t][l] = EmptyCap]

GrantCapAnc(t, d, l, s) ==
    LET r == Target(t, d)
    IN  [x \in Threads |-> [k \in LocalIds |->
            IF <<x, k>> = <<r, s>> THEN capAnc[t][l]
            ELSE IF <<x, k>> = <<t, l>> THEN {}
            ELSE Rename(capAnc[x][k], <<t, l>>, <<r, s>>)]]

CopyCapTable(t, d, l, m, s) == MapCapTable(t, d, l, m, s)

CopyCapAnc(t, d, s) ==
    LET r == Target(t, d) IN
    [capAnc EXCEPT ![r][s] = {}]

\* Revocation removes every entry derived from <<t, l>>, at any depth, and
\* nothing else: t keeps its own entry.
RevokeTable(t, l) ==
    [x \in Threads |-> [k \in LocalIds |->
        IF <<t, l>> \in capAnc[x][k] THEN EmptyCap ELSE cspace[x][k]]]

RevokeAnc(t, l) ==
    [x \in Threads |-> [k \in LocalIds |->
        IF <<t, l>> \in capAnc[x][k] THEN {} ELSE capAnc[x][k]]]

(* -------- the take-grant core on its own (used by MCCSpace) ------------ *)

CSpaceMapCap(t, d, l, m, s) ==
    /\ CanGrant(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ cspace' = MapCapTable(t, d, l, m, s)
    /\ capAnc' = MapCapAnc(t, d, l, s)

CSpaceGrantCap(t, d, l, s) ==
    /\ CanGrant(t, d)
    /\ HoldsCap(t, l)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ cspace' = GrantCapTable(t, d, l, s)
    /\ capAnc' = GrantCapAnc(t, d, l, s)

CSpaceCopyCap(t, d, l, m, s) ==
    /\ CanGrant(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ cspace' = CopyCapTable(t, d, l, m, s)
    /\ capAnc' = CopyCapAnc(t, d, s)

CSpaceRevoke(t, l) ==
    /\ HoldsCap(t, l)
    /\ cspace' = RevokeTable(t, l)
    /\ capAnc' = RevokeAnc(t, l)

CSpaceNext ==
    \/ \E t \in Threads, d, l, s \in LocalIds, m \in SUBSET Rights :
          CSpaceMapCap(t, d, l, m, s) \/ CSpaceCopyCap(t, d, l, m, s)
    \/ \E t \in Threads, d, l, s \in LocalIds : CSpaceGrantCap(t, d, l, s)
    \/ \E t \in Threads, l \in LocalIds : CSpaceRevoke(t, l)

CSpaceSpec == CSpaceInit /\ [][CSpaceNext]_cspaceVars

(* ---------------------------- invariants ------------------------------- *)

\* The derivation relation is a forest: an entry's ancestors hold the same
\* object, form one chain, and never include the entry itself; a free slot
\* has no ancestors (so a slot reused later is not revoked with old parents).
CapTreeWellFormed ==
    \A x \in Threads, k \in LocalIds :
        /\ ~HoldsCap(x, k) => capAnc[x][k] = {}
        /\ <<x, k>> \notin capAnc[x][k]
        /\ \A a \in capAnc[x][k] :
              /\ HoldsCap(a[1], a[2])
              /\ cspace[a[1]][a[2]].obj = cspace[x][k].obj
              /\ capAnc[a[1]][a[2]] \subseteq capAnc[x][k]
        /\ \A a, b \in capAnc[x][k] :
              a = b \/ a \in capAnc[b[1]][b[2]] \/ b \in capAnc[a[1]][a[2]]

\* The rights some boot entry held to object o.
BootRights(o) ==
    UNION {IF InitCSpace[x][k].obj = o THEN InitCSpace[x][k].rights ELSE {} :
              x \in Threads, k \in LocalIds}

\* A derived entry has no right its ancestors lack, and no entry (copies
\* included) has a right to an object that no boot entry had.
RightsNeverAmplified ==
    \A x \in Threads, k \in LocalIds :
        /\ \A a \in capAnc[x][k] : cspace[x][k].rights \subseteq cspace[a[1]][a[2]].rights
        /\ HoldsCap(x, k) => cspace[x][k].rights \subseteq BootRights(cspace[x][k].obj)

\* Undirected adjacency and connectivity in the boot authority graph.  A path
\* of Cardinality(Threads) vertices (repeats allowed) reaches every vertex of
\* a component; this is a constant, evaluated once.
InitEdge(a, b) == \E k \in LocalIds : InitCSpace[a][k].obj = b \/ InitCSpace[b][k].obj = a
PathLen == Cardinality(Threads)
InitConnected ==
    {p \in Threads \X Threads :
        \E path \in [1..PathLen -> Threads] :
            /\ path[1] = p[1]
            /\ path[PathLen] = p[2]
            /\ \A i \in 1..(PathLen - 1) : path[i] = path[i + 1] \/ InitEdge(path[i], path[i + 1])}

\* No authority from nowhere: a thread holds a capability to an object only
\* if the two were connected in the boot authority graph.
AuthorityConnected ==
    \A x \in Threads, k \in LocalIds :
        HoldsCap(x, k) => <<x, cspace[x][k].obj>> \in InitConnected

\* The confined group never gains a capability leading out of it.
Confinement ==
    \A x \in Confined, k \in LocalIds :
        HoldsCap(x, k) => cspace[x][k].obj \in Confined

=============================================================================

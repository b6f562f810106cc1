---------------------------- MODULE MCPersistence ----------------------------
(***************************************************************************)
(* Bounded model of Persistence: one object of every kind, wired as in the *)
(* kernel (the thread's address space, page table, frame and capability   *)
(* table; an entry naming the thread; a message to the thread carrying the *)
(* entry), all present at boot but the message, which is created later.   *)
(* A 1-slot circular log and 2 LSNs (so the slot is reused once           *)
(* a checkpoint covers it), 2 crashes (so one can strike during         *)
(* recovery).                                                             *)
(***************************************************************************)
EXTENDS PersistencePost

CONSTANTS fr, ptab, as, tab, th, ent, msg

MCObjects == {fr, ptab, as, tab, th, ent, msg}

MCBootObjects == MCObjects \ {msg}

MCKind == [o \in MCObjects |->
    CASE o = fr -> "frame" [] o = ptab -> "pageTable" [] o = as -> "addressSpace"
      [] o = tab -> "capTable" [] o = th -> "thread" [] o = ent -> "capEntry"
      [] OTHER -> "message"]

MCDeps == [o \in MCObjects |->
    CASE o = ptab -> {fr} [] o = as -> {ptab} [] o = th -> {as, tab}
      [] o = ent -> {tab, th} [] o = msg -> {th, ent} [] OTHER -> {}]
=============================================================================

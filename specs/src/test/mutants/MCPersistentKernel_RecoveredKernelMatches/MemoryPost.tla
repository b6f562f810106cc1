----------------------------- MODULE MemoryPost -----------------------------
(***************************************************************************)
(* What the page operations must achieve, stated apart from the operators *)
(* that do it (Memory.tla): the page an item lands in, the frame it maps, *)
(* what it is flushed with, a copy's fresh frame and contents, and that    *)
(* nothing else changes.  "Derived at any depth" is the transitive closure *)
(* of the parent-child edges of the mapping database, computed here by     *)
(* iteration.  The effects speak of address spaces (processes): t and r  *)
(* below are the sender's and the receiver's spaces.  Witnesses as in      *)
(* CSpacePost.  For the checker only.                                      *)
(***************************************************************************)
EXTENDS Memory

PageFree(x, v) == pt[x][v] = NoFrame

\* The pages in nodes may change; every other page keeps its mapping and its node.
PageOthersKeep(nodes) ==
    \A x \in Procs, k \in VPages :
        <<x, k>> \notin nodes => pt'[x][k] = pt[x][k] /\ mdb'[x][k] = mdb[x][k]

\* m was mapped from n: m's ancestors are n and n's ancestors.
PageChildOf(m, n) ==
    /\ n \in mdb[m[1]][m[2]].anc
    /\ mdb[m[1]][m[2]].anc = mdb[n[1]][n[2]].anc \cup {n}

RECURSIVE PageClosure(_)
PageClosure(S) ==
    LET more == S \cup {m \in PageNodes : \E n \in S : PageChildOf(m, n)}
    IN  IF more = S THEN S ELSE PageClosure(more)

\* Every mapping derived from n, at any depth (n itself excluded).
PageDescendants(n) == PageClosure({n}) \ {n}

FramesKeep == frameData' = frameData /\ free' = free

(* ---------------------------- effects ---------------------------------- *)

\* Map: r's free page s maps t's frame and is flushed with t's page and with
\* everything t's page is flushed with.
PageMapEffect(t, r, s, v) ==
    /\ PageFree(r, s)
    /\ pt'[r][s] = pt[t][v]
    /\ mdb'[r][s].frame = pt[t][v]
    /\ \A n \in PageNodes : n \in mdb'[r][s].anc <=> (n = <<t, v>> \/ n \in mdb[t][v].anc)
    /\ PageOthersKeep({<<r, s>>})
    /\ FramesKeep

\* Grant: the mapping moves; r's page takes t's page's place in the mapping tree.
PageGrantEffect(t, r, s, v) ==
    /\ PageFree(r, s)
    /\ pt'[r][s] = pt[t][v]
    /\ pt'[t][v] = NoFrame
    /\ mdb'[r][s] = mdb[t][v]
    /\ mdb'[t][v].frame = NoFrame /\ mdb'[t][v].anc = {}
    /\ \A x \in Procs, k \in VPages :
          <<x, k>> \notin {<<r, s>>, <<t, v>>} =>
              /\ pt'[x][k] = pt[x][k]
              /\ mdb'[x][k].frame = mdb[x][k].frame
              /\ <<t, v>> \notin mdb'[x][k].anc
              /\ (<<r, s>> \in mdb'[x][k].anc) = (<<t, v>> \in mdb[x][k].anc)
              /\ mdb'[x][k].anc \ {<<r, s>>} = mdb[x][k].anc \ {<<t, v>>}
    /\ FramesKeep

\* Copy: the frame f the call chose, one the allocator still holds (mapped
\* nowhere), with the contents of t's frame, a new root flushed with nothing; t's page
\* and every other frame keep their contents.
PageCopyEffect(t, r, s, v, f) ==
    /\ PageFree(r, s)
    /\ pt'[r][s] = f
    /\ f \in free
    /\ \A x \in Procs, k \in VPages : pt[x][k] # f
    /\ free' = free \ {f}
    /\ frameData'[f] = frameData[pt[t][v]]
    /\ \A g \in Frames : g # f => frameData'[g] = frameData[g]
    /\ mdb'[r][s].frame = f /\ mdb'[r][s].anc = {}
    /\ PageOthersKeep({<<r, s>>})

\* Unmap (flush): every mapping derived from t's page v, at any depth, is gone;
\* t keeps its own mapping, and nothing else changes.
PageUnmapEffect(t, v) ==
    LET gone == PageDescendants(<<t, v>>) IN
    /\ \A n \in gone : pt'[n[1]][n[2]] = NoFrame /\ mdb'[n[1]][n[2]].frame = NoFrame /\ mdb'[n[1]][n[2]].anc = {}
    /\ PageOthersKeep(gone)
    /\ FramesKeep

CapsKeep == cspace' = cspace /\ capAnc' = capAnc

\* The address space a thread's page operations act on, read from proc directly.
SpaceOf(t) == proc[t]

(* ---------------- page transfers on their own (MCMemory) --------------- *)

MemMapPagePost ==
    [][UNCHANGED <<memVars, cspaceVars>> \/ \A t \in Threads, d \in LocalIds, v, p \in VPages :
          MemMapPage(t, d, v, p) =>
              LET r == SpaceOf(cspace[t][d].obj) IN
              /\ PageMapEffect(SpaceOf(t), r, p, v)
              /\ CapsKeep /\ proc' = proc]_<<memVars, cspaceVars>>

MemGrantPagePost ==
    [][UNCHANGED <<memVars, cspaceVars>> \/ \A t \in Threads, d \in LocalIds, v, p \in VPages :
          MemGrantPage(t, d, v, p) =>
              LET r == SpaceOf(cspace[t][d].obj) IN
              /\ PageGrantEffect(SpaceOf(t), r, p, v)
              /\ CapsKeep /\ proc' = proc]_<<memVars, cspaceVars>>

MemCopyPagePost ==
    [][UNCHANGED <<memVars, cspaceVars>> \/ \A t \in Threads, d \in LocalIds, v, p \in VPages, f \in Frames :
          MemCopyPage(t, d, v, f, p) =>
              LET r == SpaceOf(cspace[t][d].obj) IN
              /\ PageCopyEffect(SpaceOf(t), r, p, v, f)
              /\ CapsKeep /\ proc' = proc]_<<memVars, cspaceVars>>

MemUnmapPost ==
    [][UNCHANGED <<memVars, cspaceVars>> \/ \A t \in Threads, v \in VPages : MemUnmap(t, v) => PageUnmapEffect(SpaceOf(t), v) /\ CapsKeep /\ proc' = proc]_<<memVars, cspaceVars>>

(* ---------------------------- witnesses -------------------------------- *)

\* A mapping derived three times in a row.
NoPageDepth3 == \A x \in Procs, k \in VPages : Cardinality(mdb[x][k].anc) < 3

\* Some mapping derived from n is a grandchild of n or deeper.
HasPageGrandchild(n) == \E g \in PageDescendants(n) : ~PageChildOf(g, n)

=============================================================================

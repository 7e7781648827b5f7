/**
 * The rules every shared dataset's database enforces ON THE SERVER (docs/TEAMS.md, Users and roles),
 * as a CouchDB `validate_doc_update` function in the design document `_design/pathstudio`. CouchDB
 * and the embedded server (express-pouchdb) run it on every write, replicated ones included, so a
 * studio that was changed, or a script with a user's password, cannot get round them.
 *
 * - Every change says who and when: `changedBy` is the signed-in user, `changedAt` a time.
 * - Only a reviewer (or admin) sets a sample's status to `reviewed` (approved) or `rejected`.
 * - Only a reviewer (or admin) writes a review, as themselves (`reviewedBy`); nobody changes or
 *   removes a review someone else wrote (a server admin, `_admin`, may repair one).
 * - Each user writes only their own presence document (`presence:<name>`, presence.ts); only
 *   reviewers and admins write assignments (`assignment:<annotator>`, assignments.ts).
 *
 * Who has which role in a project: the per-project map `pathstudio.roles` ({ user: role }) in the
 * database's `_security` object, else the user's own roles in `_users` (`annotator`, `reviewer`,
 * `admin`); the database's admins (`_security.admins.names`) and server admins are admins.
 *
 * Why the map is also copied into the design document (`project_roles`): express-pouchdb hands the
 * function the real security object on a single PUT but an empty `{}` on `_bulk_docs` — which is
 * what replication uses — and its `userCtx` has no `db`, so neither a `<db>:reviewer` user role nor
 * the security object can be relied on there. Both servers call the function with the design
 * document as `this` (CouchDB's query server applies it to the ddoc; pouchdb-validation `call`s
 * it), so the copy is there on every write. The security object wins where it carries the map
 * (CouchDB always passes it); `TeamServer.setProjectRole` writes both.
 *
 * One difference remains: for a replicated revision, CouchDB passes its parent on the same branch as
 * `oldDoc`, express-pouchdb the current winner. The rules compare only status and review with
 * `oldDoc`, so an edit that leaves both alone passes on either.
 *
 * The function is a string in ES5 (CouchDB's JavaScript engine may be old SpiderMonkey): the build
 * never rewrites it, and the Node tests evaluate the same text.
 */
export const DESIGN_DOC_ID = '_design/pathstudio';
export const PROJECT_ROLES = ['annotator', 'reviewer', 'admin'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

export const VALIDATE_DOC_UPDATE = `function (newDoc, oldDoc, userCtx, secObj) {
  var name = userCtx && userCtx.name;
  var roles = (userCtx && userCtx.roles) || [];
  var has = function (r) { return roles.indexOf(r) >= 0; };
  if (!name) throw ({ unauthorized: 'Sign in to change this dataset.' });
  var sec = secObj || {};
  var map = (sec.pathstudio && sec.pathstudio.roles) || (this && this.project_roles) || {};
  var dbAdmins = (sec.admins && sec.admins.names) || [];
  var role = map[name] || (has('admin') ? 'admin' : has('reviewer') ? 'reviewer' : 'annotator');
  if (has('_admin') || dbAdmins.indexOf(name) >= 0) role = 'admin';
  var reviews = role === 'reviewer' || role === 'admin';

  if (newDoc.changedBy !== name) throw ({ forbidden: 'Every change records who made it: changedBy must be ' + name + ', not ' + newDoc.changedBy + '. Sign in as the user who made these changes.' });
  if (typeof newDoc.changedAt !== 'number') throw ({ forbidden: 'Every change records when it was made (changedAt).' });
  if (newDoc._id.indexOf('presence:') === 0 && newDoc._id !== 'presence:' + name) throw ({ forbidden: 'Each user says only where they themselves are (presence:' + name + ').' });
  if (newDoc._id.indexOf('assignment:') === 0 && !reviews) throw ({ forbidden: 'Only a reviewer or admin assigns work (you are ' + role + ' here).' });
  if (newDoc._deleted || newDoc.type !== 'sample') return;

  var old = oldDoc && !oldDoc._deleted ? oldDoc : null;
  var key = function (r) { return r ? [r.verdict, r.comment, r.at].join('\\u0000') : ''; };
  var oldStatus = old ? old.status : null;
  if ((newDoc.status === 'reviewed' || newDoc.status === 'rejected') && newDoc.status !== oldStatus && !reviews) {
    throw ({ forbidden: 'Only a reviewer can ' + (newDoc.status === 'reviewed' ? 'approve' : 'reject') + ' a sample (you are ' + role + ' here): mark it done and a reviewer will review it.' });
  }
  var oldReview = old ? old.review : null;
  if (key(newDoc.review) !== key(oldReview)) {
    if (!reviews) throw ({ forbidden: 'Only a reviewer can write a review (you are ' + role + ' here).' });
    if (oldReview && old.reviewedBy && old.reviewedBy !== name && !has('_admin')) throw ({ forbidden: 'This review is ' + old.reviewedBy + "'s: nobody changes another's review." });
    if (newDoc.review && newDoc.reviewedBy !== name) throw ({ forbidden: 'A review is signed by who writes it: reviewedBy must be ' + name + '.' });
  } else if (newDoc.review && old && (newDoc.reviewedBy || null) !== (old.reviewedBy || null)) {
    throw ({ forbidden: 'A review keeps the name of who wrote it (reviewedBy).' });
  }
}`;

/** The design document of a shared dataset's database, with the roles map copied in. */
export function designDoc(roles: Record<string, ProjectRole>): { _id: string; validate_doc_update: string; project_roles: Record<string, ProjectRole> } {
  return { _id: DESIGN_DOC_ID, validate_doc_update: VALIDATE_DOC_UPDATE, project_roles: roles };
}

/** What role a user has in a project, read the way the validation function reads it (for the studio's UI). */
export function projectRole(user: { name: string; roles: string[] }, map: Record<string, string>, dbAdmins: string[] = []): ProjectRole {
  if (user.roles.includes('_admin') || dbAdmins.includes(user.name)) return 'admin';
  const mapped = map[user.name];
  if (mapped === 'admin' || mapped === 'reviewer' || mapped === 'annotator') return mapped;
  return user.roles.includes('admin') ? 'admin' : user.roles.includes('reviewer') ? 'reviewer' : 'annotator';
}

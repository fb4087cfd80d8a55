import { Op, WhereOptions } from 'sequelize';
import { CertificateRow } from '../models/certificate';

export interface CertificateObj {
  id: number;
  user_id: string;
  project_id: string;
  file_name: string;
  serial: string;
  ca_folder: string;
  revoked_at: Date | null;
}

function obj(r: CertificateRow): CertificateObj {
  return { id: r.id, user_id: r.user_id, project_id: r.project_id, file_name: r.file_name, serial: r.serial, ca_folder: r.ca_folder, revoked_at: r.revoked_at };
}

export async function certificateCreate(v: Omit<CertificateObj, 'id' | 'revoked_at'>): Promise<CertificateObj> {
  return obj(await CertificateRow.create(v));
}

export async function certificateDestroy(id: number): Promise<void> {
  await CertificateRow.destroy({ where: { id } });
}

async function all(where: WhereOptions): Promise<CertificateObj[]> {
  return (await CertificateRow.findAll({ where, order: [['id', 'ASC']] })).map(obj);
}

export const certificateGetAllByUser = (userId: string) => all({ user_id: userId });
export const certificateGetAllByProject = (projectId: string) => all({ project_id: projectId });
export const certificateGetAllByUserAndProject = (userId: string, projectId: string) => all({ user_id: userId, project_id: projectId });

/** Marks the certificates not yet revoked among `ids` as revoked at `at`; returns how many changed. */
export async function certificatesRevoke(ids: number[], at: Date): Promise<number> {
  if (!ids.length) return 0;
  const [n] = await CertificateRow.update({ revoked_at: at }, { where: { id: { [Op.in]: ids }, revoked_at: null } });
  return n;
}

/** Every revoked certificate a CA signed: what its CRL lists. */
export async function certificatesRevokedBy(caFolder: string): Promise<Array<{ serial: string; revoked_at: Date }>> {
  const rows = await CertificateRow.findAll({ where: { ca_folder: caFolder, revoked_at: { [Op.ne]: null } }, order: [['revoked_at', 'ASC'], ['id', 'ASC']] });
  return rows.map((r) => ({ serial: r.serial, revoked_at: r.revoked_at as Date }));
}

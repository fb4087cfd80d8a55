import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

/** One certificate nova-cert issued: who for, which CA signed it, and whether it was revoked. */
export class CertificateRow extends Model {
  declare id: number;
  declare user_id: string;
  declare project_id: string;
  declare file_name: string;
  /** Serial number in upper-case hex. */
  declare serial: string;
  /** The signing CA's folder relative to [crypto] ca_path: '.' (root) or 'projects/<project_id>'. */
  declare ca_folder: string;
  declare revoked_at: Date | null;
  declare created_at: Date;
  declare updated_at: Date;
}

export function initCertificateModels(sequelize: Sequelize): void {
  CertificateRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: { type: DataTypes.STRING(255), allowNull: false },
    project_id: { type: DataTypes.STRING(255), allowNull: false },
    file_name: { type: DataTypes.STRING(255), allowNull: false },
    serial: { type: DataTypes.STRING(64), allowNull: false },
    ca_folder: { type: DataTypes.STRING(255), allowNull: false },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
  }, { ...common, sequelize, tableName: 'certificates', modelName: 'Certificate' });
}

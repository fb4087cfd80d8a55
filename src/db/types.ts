import { DataTypes, ModelAttributeColumnOptions } from 'sequelize';

/** A TEXT column holding JSON, portable across SQLite, MariaDB and PostgreSQL. */
export function jsonText(field: string, fallback: unknown = null): ModelAttributeColumnOptions {
  return {
    type: DataTypes.TEXT,
    allowNull: true,
    get(this: { getDataValue(k: string): unknown }) {
      const raw = this.getDataValue(field);
      if (raw === null || raw === undefined || raw === '') return structuredClone(fallback);
      return typeof raw === 'string' ? JSON.parse(raw) : raw;
    },
    set(this: { setDataValue(k: string, v: unknown): void }, value: unknown) {
      this.setDataValue(field, value === null || value === undefined ? null : JSON.stringify(value));
    },
  };
}

export const common = {
  timestamps: true,
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  underscored: true,
  freezeTableName: true,
} as const;

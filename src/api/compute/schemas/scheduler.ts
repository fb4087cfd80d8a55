/** Request schema of POST /os-scheduler/dry-run: the placement part of a server create body. */
export const dryRun = {
  type: 'object',
  properties: {
    server: {
      type: 'object',
      properties: {
        flavorRef: { type: ['string', 'integer'], minLength: 1 },
        imageRef: { type: 'string', minLength: 1 },
        availability_zone: { type: 'string', minLength: 1, maxLength: 255 },
        min_count: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1 },
        project_id: { type: 'string', minLength: 1, maxLength: 255 },
      },
      required: ['flavorRef'], additionalProperties: false,
    },
    'os:scheduler_hints': { type: 'object' },
    'OS-SCH-HNT:scheduler_hints': { type: 'object' },
  },
  required: ['server'], additionalProperties: false,
};

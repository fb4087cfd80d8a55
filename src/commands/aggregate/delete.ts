import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';

export default class AggregateDelete extends ClientCommand {
  static summary = 'Delete the aggregate.';
  static aliases = ['aggregate-delete'];
  static args = { aggregate: Args.string({ description: 'Name or ID of aggregate to delete.', required: true }) };

  async run(): Promise<{ deleted: number }> {
    const { args, flags } = await this.parse(AggregateDelete);
    const nova = await this.connect(flags);
    const agg = await nova.aggregates.find(args.aggregate);
    await nova.aggregates.delete(agg.id);
    this.log(`Aggregate ${agg.id} has been successfully deleted.`);
    return { deleted: agg.id };
  }
}

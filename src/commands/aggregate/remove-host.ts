import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { aggregateColumns, aggregateRow } from '../../cli/views/aggregate';
import { Aggregate } from '../../client/compute/aggregates';

export default class AggregateRemoveHost extends ClientCommand {
  static summary = 'Remove the specified host from the specified aggregate.';
  static aliases = ['aggregate-remove-host'];
  static args = {
    aggregate: Args.string({ description: 'Name or ID of aggregate.', required: true }),
    host: Args.string({ description: 'The host to remove.', required: true }),
  };

  async run(): Promise<Aggregate> {
    const { args, flags } = await this.parse(AggregateRemoveHost);
    const nova = await this.connect(flags);
    const agg = await nova.aggregates.removeHost((await nova.aggregates.find(args.aggregate)).id, args.host);
    this.log(`Host ${args.host} has been successfully removed from aggregate ${agg.id} `);
    this.printList([aggregateRow(agg)], aggregateColumns(nova.supports('2.41')));
    return agg;
  }
}

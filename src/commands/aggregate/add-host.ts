import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { aggregateColumns, aggregateRow } from '../../cli/views/aggregate';
import { Aggregate } from '../../client/compute/aggregates';

export default class AggregateAddHost extends ClientCommand {
  static summary = 'Add the host to the specified aggregate.';
  static aliases = ['aggregate-add-host'];
  static args = {
    aggregate: Args.string({ description: 'Name or ID of aggregate.', required: true }),
    host: Args.string({ description: 'The host to add.', required: true }),
  };

  async run(): Promise<Aggregate> {
    const { args, flags } = await this.parse(AggregateAddHost);
    const nova = await this.connect(flags);
    const agg = await nova.aggregates.addHost((await nova.aggregates.find(args.aggregate)).id, args.host);
    this.log(`Host ${args.host} has been successfully added to aggregate ${agg.id} `);
    this.printList([aggregateRow(agg)], aggregateColumns(nova.supports('2.41')));
    return agg;
  }
}

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DEFAULT_LANGUAGE } from '../../../schema/i18n/index.js';
import type { SubgraphContext } from '../../kit/context.js';
import type { PhysicianMessageEntity } from '../entities/physician-message.entity.js';
import { physicianMessageText, timelineSentence } from '../services/localised-text.js';
import type { TimelineRow } from '../services/pathway-act.service.js';
import { TimelineEvent } from './pathway-act.resolver.js';
import { PhysicianMessage } from './pathway-end.type.js';

@Resolver(() => TimelineEvent)
export class TimelineSummaryResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The event as a sentence in the caller's language (Accept-Language: fr, nl, en); `kind` and `detail` stay as recorded.",
  })
  summary(@Root() event: TimelineRow, @Ctx() context: SubgraphContext): string {
    return timelineSentence(context.language ?? DEFAULT_LANGUAGE, event.kind, event.detail);
  }
}

@Resolver(() => PhysicianMessage)
export class PhysicianMessageBodyResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The message, in the reader's language when the platform wrote it (a copy of an act, the end of a pathway, a work authorisation request, the notice of a consent withdrawal); as its writer wrote it otherwise.",
  })
  body(@Root() message: PhysicianMessageEntity, @Ctx() context: SubgraphContext): string {
    return (
      physicianMessageText(context.language ?? DEFAULT_LANGUAGE, message.messageId, message.messageParams) ??
      message.body
    );
  }
}

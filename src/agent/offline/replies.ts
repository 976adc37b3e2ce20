import { formatWhen } from '../format.ts';
import type { FollowUpBrief } from '../tools/follow-ups.ts';
import type { Failure, ToolName, ToolResult, ToolSuccess } from '../tools/index.ts';
import type { PartyBrief } from '../tools/insights.ts';
import type { MemberBrief } from '../tools/members.ts';
import type { MemoryBrief } from '../tools/memory.ts';
import type { TaskBrief } from '../tools/tasks.ts';
import type { Clock } from '../turn-clock.ts';

/**
 * What the offline model says after its tools ran: written from the tool results only, so it can never
 * claim something that did not happen.
 */

const MAX_LINES = 10;

const quote = (s: string) => `“${s}”`;

/** "07:30" → "7:30 am", as people write it. */
function clockTime(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return `${h % 12 || 12}:${String(m).padStart(2, '0')} ${h < 12 ? 'am' : 'pm'}`;
}

function taskLine(t: TaskBrief, c: Clock): string {
  const when = formatWhen(t, c.now, c.timezone);
  const flag = t.priority === 'urgent' ? ' (urgent)' : t.priority === 'high' ? ' (important)' : '';
  return `${t.title}${when ? ` — ${when}` : ''}${flag}`;
}

/** ", for Ravi Kumar" or ", for you" when the task is someone's. */
function forWhom(t: TaskBrief): string {
  if (!t.assignee) return '';
  return `, for ${t.assignee.you ? 'you' : (t.assignee.name ?? 'your teammate')}`;
}

const followUpWho = (f: FollowUpBrief) =>
  f.contact_name ? `${f.channel === 'visit' ? 'visit' : f.channel} ${f.contact_name}` : f.subject;

function followUpLine(f: FollowUpBrief, c: Clock): string {
  const about = f.contact_name ? ` about ${f.subject}` : '';
  return `${followUpWho(f)}${about} — ${formatWhen({ due_at: f.due_at }, c.now, c.timezone)}${f.overdue ? ' (overdue)' : ''}`;
}

function numbered<T>(items: T[], total: number, line: (item: T) => string): string {
  const lines = items.slice(0, MAX_LINES).map((item, i) => `${i + 1}. ${line(item)}`);
  if (total > lines.length) lines.push(`…and ${total - lines.length} more`);
  return lines.join('\n');
}

export const HELP = [
  'I can keep your tasks and follow-ups. Try:',
  '• remind me to call ABC Traders tomorrow at 5pm',
  '• kal subah GST payment ka follow up lagao',
  '• show my tasks for today',
  '• GST wala task ho gaya',
  "• what's my day",
  '• send my morning briefing at 7:30',
  '• remember ABC Traders always pays late',
].join('\n');

export const GREETING = `Namaste! 🙏 I'm your Digital Employee.\n${HELP}`;
export const NOT_UNDERSTOOD = `Sorry, I didn't get that.\n${HELP}`;
/** News of a thing that did not get done or went wrong: nothing was asked, so nothing changed. */
export const SETBACK_NOTED = [
  'Noted 🙏 I have not changed anything.',
  'To give a task a new day, say “move <task> to <day>”; to keep a note of it, say “add task …”.',
].join('\n');
/** A message read whole for the open task it tells of, when it tells of none: the owner's words, not a name. */
export const NO_TASK_MENTIONED = [
  "I couldn't tell which open task that was about, so I have not changed anything.",
  'Say “show my tasks” to see what is open, or name the task (“mark <task> done”, “move <task> to <day>”).',
].join('\n');
/** A question about the business that the metrics catalogue cannot answer (profit, stock, expenses). */
export const OUTSIDE_CATALOGUE = [
  "I can't tell that from your connected data yet 🙏",
  'From your connected systems I can tell you sales, purchases, who owes you and whom you owe, money received and paid, bank balance, GST and orders. For example:',
  '• who owes me the most?',
  '• is mahine kitna collection hua?',
].join('\n');

/** A period named by a festival: its dates differ every year, so ask for them. */
export const askPeriod = (said: string) =>
  `Which dates do you mean by “${said}”? It falls on different days each year: say for example “October” or “last month”.`;

/** Whose kinds a party has, as an owner says it. */
const partyKinds = (kinds: string[]) => (kinds.length ? ` (${kinds.join(' and ')})` : '');

type Candidate = TaskBrief | FollowUpBrief | MemoryBrief | MemberBrief | PartyBrief;

function candidateLine(x: Candidate, c: Clock): string {
  if ('kinds' in x) return `${x.name}${partyKinds(x.kinds)}`;
  if ('phone_last4' in x) return `${x.name ?? 'The owner'} (phone ending ${x.phone_last4})`;
  if ('title' in x) return taskLine(x, c);
  if ('content' in x) return x.content;
  return followUpLine(x, c);
}

function failure(r: Failure, c: Clock, tool: ToolName): string {
  if (r.error === 'ambiguous' && r.candidates) {
    const items = r.candidates as Candidate[];
    return `Which one do you mean?\n${numbered(items, items.length, (x) => candidateLine(x, c))}\nReply with a few more words from it.`;
  }
  if (r.error === 'not_found' && (tool === 'forget' || tool === 'find_party')) return r.message;
  if (r.error === 'not_found') return `${r.message} Say “show my tasks” to see what is open.`;
  if (tool === 'query_business_data') return `I can't tell that: ${r.message}`;
  return `I couldn't do that: ${r.message}`;
}

type Replies = { [N in ToolName]: (r: ToolSuccess<N>, c: Clock) => string };

const REPLIES: Replies = {
  query_business_data: ({ answer }) => answer,
  find_party: ({ party }) => `${party.name}${partyKinds(party.kinds)}.`,
  create_task({ task: t }, c) {
    const remind = t.remind_at
      ? ` I'll remind ${t.assignee && !t.assignee.you ? (t.assignee.name ?? 'them') : 'you'} ${formatWhen({ due_at: t.remind_at }, c.now, c.timezone)}.`
      : '';
    return `Done ✅ Added ${quote(taskLine(t, c))}${forWhom(t)}.${remind}`;
  },
  list_tasks({ tasks, total }, c) {
    if (total === 0) return 'No tasks there. 👍';
    return `You have ${total} task${total === 1 ? '' : 's'}:\n${numbered(tasks, total, (t) => taskLine(t, c))}`;
  },
  update_task: ({ task }, c) => `Updated ✅ ${quote(taskLine(task, c))}${forWhom(task)}.`,
  complete_task: ({ task }) => `Marked ${quote(task.title)} done ✅`,
  delete_task: ({ deleted }) => `Deleted ${quote(deleted.title)}.`,
  create_follow_up: ({ follow_up }, c) => `Follow-up set ✅ ${followUpLine(follow_up, c)}.`,
  list_follow_ups({ follow_ups, total }, c) {
    if (total === 0) return 'No follow-ups there. 👍';
    return `You have ${total} follow-up${total === 1 ? '' : 's'}:\n${numbered(follow_ups, total, (f) => followUpLine(f, c))}`;
  },
  snooze_follow_up: ({ follow_up: f }, c) =>
    `Snoozed ⏰ ${followUpWho(f)} to ${formatWhen({ due_at: f.due_at }, c.now, c.timezone)}.`,
  complete_follow_up: ({ follow_up }) => `Marked the follow-up (${followUpWho(follow_up)}) done ✅`,
  my_day({ tasks_due_today: due, overdue_tasks: overdue, follow_ups_due: followUps }, c) {
    if (due.length + overdue.length + followUps.length === 0)
      return 'Nothing due today and nothing overdue. Enjoy the day! 👍';
    const parts = ['Here is your day:'];
    if (due.length) parts.push(`Due today:\n${numbered(due, due.length, (t) => taskLine(t, c))}`);
    if (overdue.length) parts.push(`Overdue:\n${numbered(overdue, overdue.length, (t) => taskLine(t, c))}`);
    if (followUps.length)
      parts.push(`Follow-ups:\n${numbered(followUps, followUps.length, (f) => followUpLine(f, c))}`);
    return parts.join('\n');
  },
  set_briefing(r) {
    if (!r.briefing_enabled)
      return 'Okay, no more morning briefings 👍 Say “turn on my briefing” whenever you want them back.';
    return `Done ✅ Your morning briefing will come at ${clockTime(r.briefing_time)} every day.`;
  },
  search_memory({ memories: found, query }) {
    if (found.length === 0)
      return `I don't remember anything about ${quote(query)}. Tell me and I'll keep it in mind.`;
    if (found.length === 1) return `From what you told me: ${quote((found[0] as MemoryBrief).content)}`;
    return `Here's what I remember:\n${numbered(found, found.length, (m) => m.content)}`;
  },
  remember(r) {
    if (r.outcome === 'superseded' && r.replaced)
      return `Updated ✅ I'll remember ${quote(r.memory.content)} (instead of ${quote(r.replaced.content)}).`;
    if (r.outcome === 'unchanged') return `I already knew that 👍 ${quote(r.memory.content)}`;
    return `Got it 👍 I'll remember: ${quote(r.memory.content)}`;
  },
  forget: ({ forgotten }) => `Forgotten 🗑️ ${quote(forgotten.content)}. I won't bring it up again.`,
};

/** The reply to a tool's result, which arrives as the JSON the tool answered. */
export function replyFor<N extends ToolName>(tool: N, result: ToolResult, c: Clock): string {
  if (!result.ok) return failure(result, c, tool);
  return REPLIES[tool](result as ToolSuccess<N>, c);
}

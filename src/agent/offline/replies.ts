import { formatWhen } from '../format.ts';
import type { ToolName } from '../tool-schemas.ts';

/**
 * What the offline model says after its tools ran: written from the tool results only, so it can never
 * claim something that did not happen.
 */

export interface Clock {
  now: Date;
  timezone: string;
}

interface TaskBrief {
  title: string;
  due_date: string | null;
  due_at: string | null;
  priority: string;
  remind_at?: string;
}

interface FollowUpBrief {
  contact_name: string | null;
  subject: string;
  due_at: string;
  channel: string;
  overdue: boolean;
}

interface MemoryBrief {
  content: string;
  subject: string | null;
}

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

type Result = Record<string, unknown> & { ok: boolean };

function failure(r: Result, c: Clock, tool: ToolName): string {
  if (r.error === 'ambiguous' && Array.isArray(r.candidates)) {
    const items = r.candidates as (TaskBrief & FollowUpBrief & MemoryBrief)[];
    const line = (x: TaskBrief & FollowUpBrief & MemoryBrief) =>
      'title' in x ? taskLine(x, c) : 'content' in x ? (x as MemoryBrief).content : followUpLine(x, c);
    return `Which one do you mean?\n${numbered(items, items.length, line)}\nReply with a few more words from it.`;
  }
  if (r.error === 'not_found' && tool === 'forget') return String(r.message);
  if (r.error === 'not_found') return `${String(r.message)} Say “show my tasks” to see what is open.`;
  return `I couldn't do that: ${String(r.message ?? 'something went wrong')}`;
}

export function replyFor(tool: ToolName, r: Result, c: Clock): string {
  if (!r.ok) return failure(r, c, tool);
  switch (tool) {
    case 'create_task': {
      const t = r.task as TaskBrief;
      const remind = t.remind_at
        ? ` I'll remind you ${formatWhen({ due_at: t.remind_at }, c.now, c.timezone)}.`
        : '';
      return `Done ✅ Added ${quote(taskLine(t, c))}.${remind}`;
    }
    case 'list_tasks': {
      const tasks = r.tasks as TaskBrief[];
      const total = r.total as number;
      if (total === 0) return 'No tasks there. 👍';
      return `You have ${total} task${total === 1 ? '' : 's'}:\n${numbered(tasks, total, (t) => taskLine(t, c))}`;
    }
    case 'update_task':
      return `Updated ✅ ${quote(taskLine(r.task as TaskBrief, c))}.`;
    case 'complete_task':
      return `Marked ${quote((r.task as TaskBrief).title)} done ✅`;
    case 'delete_task':
      return `Deleted ${quote((r.deleted as TaskBrief).title)}.`;
    case 'create_follow_up':
      return `Follow-up set ✅ ${followUpLine(r.follow_up as FollowUpBrief, c)}.`;
    case 'list_follow_ups': {
      const items = r.follow_ups as FollowUpBrief[];
      const total = r.total as number;
      if (total === 0) return 'No follow-ups there. 👍';
      return `You have ${total} follow-up${total === 1 ? '' : 's'}:\n${numbered(items, total, (f) => followUpLine(f, c))}`;
    }
    case 'snooze_follow_up': {
      const f = r.follow_up as FollowUpBrief;
      return `Snoozed ⏰ ${followUpWho(f)} to ${formatWhen({ due_at: f.due_at }, c.now, c.timezone)}.`;
    }
    case 'complete_follow_up':
      return `Marked the follow-up (${followUpWho(r.follow_up as FollowUpBrief)}) done ✅`;
    case 'my_day': {
      const due = r.tasks_due_today as TaskBrief[];
      const overdue = r.overdue_tasks as TaskBrief[];
      const followUps = r.follow_ups_due as FollowUpBrief[];
      if (due.length + overdue.length + followUps.length === 0)
        return 'Nothing due today and nothing overdue. Enjoy the day! 👍';
      const parts = ['Here is your day:'];
      if (due.length) parts.push(`Due today:\n${numbered(due, due.length, (t) => taskLine(t, c))}`);
      if (overdue.length) parts.push(`Overdue:\n${numbered(overdue, overdue.length, (t) => taskLine(t, c))}`);
      if (followUps.length)
        parts.push(`Follow-ups:\n${numbered(followUps, followUps.length, (f) => followUpLine(f, c))}`);
      return parts.join('\n');
    }
    case 'set_briefing': {
      if (!r.briefing_enabled)
        return 'Okay, no more morning briefings 👍 Say “turn on my briefing” whenever you want them back.';
      return `Done ✅ Your morning briefing will come at ${clockTime(String(r.briefing_time))} every day.`;
    }
    case 'search_memory': {
      const found = r.memories as MemoryBrief[];
      if (found.length === 0)
        return `I don't remember anything about ${quote(String(r.query))}. Tell me and I'll keep it in mind.`;
      if (found.length === 1) return `From what you told me: ${quote((found[0] as MemoryBrief).content)}`;
      return `Here's what I remember:\n${numbered(found, found.length, (m) => m.content)}`;
    }
    case 'remember': {
      const m = r.memory as MemoryBrief;
      if (r.outcome === 'superseded' && r.replaced)
        return `Updated ✅ I'll remember ${quote(m.content)} (instead of ${quote((r.replaced as MemoryBrief).content)}).`;
      if (r.outcome === 'unchanged') return `I already knew that 👍 ${quote(m.content)}`;
      return `Got it 👍 I'll remember: ${quote(m.content)}`;
    }
    case 'forget':
      return `Forgotten 🗑️ ${quote((r.forgotten as MemoryBrief).content)}. I won't bring it up again.`;
  }
}

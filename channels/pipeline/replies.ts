/** What the pipeline itself says (everything else is the Digital Employee's own reply). Short and friendly. */

export const LINK_PROMPT =
  'Namaste 🙏 I am your AxonBOS Digital Employee. To link your account, tap “📱 Share my phone number” below.';

export const SIGNUP_CLOSED =
  "Namaste 🙏 This number isn't registered with AxonBOS yet. Please ask your business owner to add you, then message me again.";

export const WELCOME_NEW =
  'Welcome to AxonBOS 🎉 Your account is ready. Tell me what to remember, like “remind me to call ABC Traders tomorrow at 5pm”.';

export const LINKED = 'Linked ✅ You can now message me here. Try “what’s my day”.';

export const ALREADY_LINKED = 'You are all set ✅ Just tell me what you need, or send /help.';

export const HELP = [
  'I keep your tasks and follow-ups and remind you on time. Try:',
  '• “remind me to call ABC Traders tomorrow at 5pm”',
  '• “kal subah GST payment ka follow up lagao”',
  '• /myday — your day at a glance',
  '• /tasks — your open tasks',
].join('\n');

export const TEXT_ONLY = 'I can only read text for now 🙏 Please type your message.';

export const FAILED =
  'Sorry, something went wrong on my side and I could not finish that. Please send it again.';

/** cmd.cgi's answer pages: the same `infoMessage` / `errorMessage` lines Nagios prints, which clients such as RSV read. */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The success line, exactly as Nagios prints it (RSV's consumer echoes the line holding `CLASS='infoMessage'`). */
export const SUCCESS_TEXT = 'Your command request was successfully submitted to Nagios for processing.';
export const NOT_AUTHORIZED_TEXT = 'Sorry, but you are not authorized to commit the specified command.';
export const READ_ONLY_TEXT = 'It appears as though you do not have permission to submit the command you requested...';
export const COMMIT_FAILED_TEXT = 'An error occurred while attempting to commit your command for processing.';

function page(body: string): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">\n' +
    "<html>\n<head>\n<meta http-equiv='content-type' content='text/html;charset=UTF-8'>\n" +
    '<title>External Command Interface</title>\n</head>\n' +
    "<body CLASS='cmd'>\n" +
    body +
    '</body>\n</html>\n'
  );
}

/** The page after a result was durably queued. */
export function successPage(): string {
  return page(
    `<P><DIV CLASS='infoMessage'>${SUCCESS_TEXT}<BR><BR>\n` +
      'Note: It may take a while before the command is actually processed.<BR><BR>\n' +
      "<A HREF='javascript:window.history.go(-2)'>Done</A></DIV></P>",
  );
}

/** "Not authorized", as cmd.cgi words it; `detail` says which rule refused (Nagios says nothing more). */
export function notAuthorizedPage(detail: string): string {
  return page(
    `<P><DIV CLASS='errorMessage'>${NOT_AUTHORIZED_TEXT}</DIV></P>\n` +
      `<P><DIV CLASS='errorDescription'>${escapeHtml(detail)}<BR><BR>\n` +
      "<A HREF='javascript:window.history.go(-2)'>Return from whence you came</A></DIV></P>\n",
  );
}

/** The read-only user's page. */
export function readOnlyPage(): string {
  return page(`<P><DIV CLASS='errorMessage'>${READ_ONLY_TEXT}</DIV></P>\n`);
}

/** A request that cannot become a command (cmd.cgi's `error_string` page): `message` names the parameter. */
export function errorPage(message: string): string {
  return page(
    `<P><DIV CLASS='errorMessage'>${escapeHtml(message)}</DIV></P>\n` +
      "<P><DIV CLASS='errorDescription'>Go <A HREF='javascript:window.history.go(-1)'>back</A> and verify that you entered all required information correctly.<BR>\n" +
      "<A HREF='javascript:window.history.go(-2)'>Return from whence you came</A></DIV></P>\n",
  );
}

/** The page when the result could not be queued (our fault; nothing was accepted). */
export function commitFailedPage(): string {
  return page(`<P><DIV CLASS='errorMessage'>${COMMIT_FAILED_TEXT}<BR><BR>\n<A HREF='javascript:window.history.go(-2)'>Return from whence you came</A></DIV></P>\n`);
}

/** The 401 page sent with the Basic challenge (Apache's words: cmd.cgi itself never sees the request). */
export function authorizationRequiredPage(): string {
  return page('<h1>Unauthorized</h1>\n<p>This server could not verify that you are authorized to access the document requested.</p>\n');
}

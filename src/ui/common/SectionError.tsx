import { Link, isRouteErrorResponse, useRouteError } from 'react-router-dom';
import { errorMessage } from '../../core/errorMessage';

/**
 * What a section shows when it cannot render (the router's error element, one per section, so the
 * rest of the studio keeps working): what went wrong in words, and the way out — the recovery
 * page, which can back up, restore and remove bad records without rendering them.
 */
export function SectionError() {
  const err = useRouteError();
  const text = isRouteErrorResponse(err) ? `${err.status} ${err.statusText}` : errorMessage(err);
  return (
    <div className="empty-state section-error" role="alert" data-testid="section-error">
      <h2>This section could not be shown</h2>
      <p>{text.includes('Minified React error #31') ? 'A stored record holds a value the studio cannot display (it was damaged, or written by another program).' : text}</p>
      <p>
        <Link className="btn btn-primary" to="/recovery">Open the recovery page</Link>{' '}
        <button className="btn" onClick={() => window.location.reload()}>Reload</button>
      </p>
    </div>
  );
}

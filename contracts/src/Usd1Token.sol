// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title USD1 — the Usd1Reconciler project's test stablecoin (ERC-20, 6 decimals).
/// @notice Written from scratch (no OpenZeppelin). Role-gated mint/burn with explicit `Mint`/`Burn` events
///         in addition to the ERC-20 `Transfer` events, pause, and a denylist.
///
/// Storage layout (tests poke it with `anvil_setStorageAt`; keep the order):
///   slot 0: totalSupply                                   (uint256)
///   slot 1: balanceOf      mapping(address => uint256)
///   slot 2: allowance      mapping(address => mapping(address => uint256))
///   slot 3: _roles         mapping(bytes32 => mapping(address => bool))
///   slot 4: isDenylisted   mapping(address => bool)
///   slot 5: paused         (bool)
///
/// Event order: `mint` emits `Mint` then `Transfer(0, to, amount)`; `burn`/`burnFrom` emit `Burn` then
/// `Transfer(from, 0, amount)` — both logs of one call are adjacent, the role event first.
///
/// Pause blocks transfer, transferFrom, mint, burn and burnFrom (approve still works).
/// Denylist: a denylisted address cannot send, receive, be minted to, approve, be approved, spend an
/// allowance, or burn. Exception: a (non-denylisted) burner may `burnFrom` a denylisted holder, using an
/// allowance that holder granted, so that the issuer can retire frozen funds.
/// Transfers and mints to address(0) revert: a Transfer to the zero address only ever means a burn.
contract Usd1Token {
    /// @dev SLOT 0 — must stay the first state variable.
    uint256 public totalSupply;
    /// @dev slot 1
    mapping(address => uint256) public balanceOf;
    /// @dev slot 2
    mapping(address => mapping(address => uint256)) public allowance;
    /// @dev slot 3
    mapping(bytes32 => mapping(address => bool)) private _roles;
    /// @dev slot 4
    mapping(address => bool) public isDenylisted;
    /// @dev slot 5
    bool public paused;

    string public constant name = "USD1";
    string public constant symbol = "USD1";
    uint8 public constant decimals = 6;

    bytes32 public constant ADMIN_ROLE = keccak256("ADMIN_ROLE");
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant DENYLISTER_ROLE = keccak256("DENYLISTER_ROLE");

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Mint(address indexed minter, address indexed to, uint256 amount);
    event Burn(address indexed burner, address indexed from, uint256 amount);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    event Paused(address account);
    event Unpaused(address account);
    event Denylisted(address indexed account);
    event Undenylisted(address indexed account);

    error MissingRole(bytes32 role, address account);
    error EnforcedPause();
    error AccountDenylisted(address account);
    error ZeroAddress();
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);

    modifier onlyRole(bytes32 role) {
        if (!_roles[role][msg.sender]) revert MissingRole(role, msg.sender);
        _;
    }

    modifier whenNotPaused() {
        if (paused) revert EnforcedPause();
        _;
    }

    modifier notDenylisted(address account) {
        if (isDenylisted[account]) revert AccountDenylisted(account);
        _;
    }

    /// @param admin receives every role; address(0) means msg.sender.
    constructor(address admin) {
        if (admin == address(0)) admin = msg.sender;
        _grant(ADMIN_ROLE, admin);
        _grant(MINTER_ROLE, admin);
        _grant(BURNER_ROLE, admin);
        _grant(PAUSER_ROLE, admin);
        _grant(DENYLISTER_ROLE, admin);
    }

    // ---------------------------------------------------------------- roles

    function hasRole(bytes32 role, address account) external view returns (bool) {
        return _roles[role][account];
    }

    function grantRole(bytes32 role, address account) external onlyRole(ADMIN_ROLE) {
        _grant(role, account);
    }

    function revokeRole(bytes32 role, address account) external onlyRole(ADMIN_ROLE) {
        if (_roles[role][account]) {
            _roles[role][account] = false;
            emit RoleRevoked(role, account, msg.sender);
        }
    }

    function _grant(bytes32 role, address account) private {
        if (!_roles[role][account]) {
            _roles[role][account] = true;
            emit RoleGranted(role, account, msg.sender);
        }
    }

    // ---------------------------------------------------------------- pause / denylist

    function pause() external onlyRole(PAUSER_ROLE) {
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        paused = false;
        emit Unpaused(msg.sender);
    }

    function denylist(address account) external onlyRole(DENYLISTER_ROLE) {
        isDenylisted[account] = true;
        emit Denylisted(account);
    }

    function undenylist(address account) external onlyRole(DENYLISTER_ROLE) {
        isDenylisted[account] = false;
        emit Undenylisted(account);
    }

    // ---------------------------------------------------------------- ERC-20

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount)
        external
        notDenylisted(msg.sender)
        notDenylisted(spender)
        returns (bool)
    {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @dev An allowance of type(uint256).max is never decreased. No Approval event on spend.
    function transferFrom(address from, address to, uint256 amount)
        external
        notDenylisted(msg.sender)
        returns (bool)
    {
        _spendAllowance(from, msg.sender, amount);
        _transfer(from, to, amount);
        return true;
    }

    // ---------------------------------------------------------------- mint / burn

    /// @notice Emits `Mint(msg.sender, to, amount)` then `Transfer(address(0), to, amount)`.
    function mint(address to, uint256 amount)
        external
        onlyRole(MINTER_ROLE)
        whenNotPaused
        notDenylisted(msg.sender)
        notDenylisted(to)
    {
        if (to == address(0)) revert ZeroAddress();
        totalSupply += amount; // checked: reverts with Panic(0x11) on overflow
        balanceOf[to] += amount; // checked too, so a poked totalSupply cannot wrap a balance
        emit Mint(msg.sender, to, amount);
        emit Transfer(address(0), to, amount);
    }

    /// @notice Burns from the caller's own balance. Emits `Burn(msg.sender, msg.sender, amount)` then
    ///         `Transfer(msg.sender, address(0), amount)`.
    function burn(uint256 amount) external onlyRole(BURNER_ROLE) whenNotPaused notDenylisted(msg.sender) {
        _burn(msg.sender, amount);
    }

    /// @notice Burns from `from` using the allowance `from` gave the caller. `from` may be denylisted.
    ///         Emits `Burn(msg.sender, from, amount)` then `Transfer(from, address(0), amount)`.
    function burnFrom(address from, uint256 amount)
        external
        onlyRole(BURNER_ROLE)
        whenNotPaused
        notDenylisted(msg.sender)
    {
        _spendAllowance(from, msg.sender, amount);
        _burn(from, amount);
    }

    // ---------------------------------------------------------------- internals

    function _transfer(address from, address to, uint256 amount)
        private
        whenNotPaused
        notDenylisted(from)
        notDenylisted(to)
    {
        if (to == address(0)) revert ZeroAddress();
        uint256 bal = balanceOf[from];
        if (bal < amount) revert InsufficientBalance(from, bal, amount);
        unchecked {
            balanceOf[from] = bal - amount;
        }
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    function _burn(address from, uint256 amount) private {
        uint256 bal = balanceOf[from];
        if (bal < amount) revert InsufficientBalance(from, bal, amount);
        unchecked {
            balanceOf[from] = bal - amount;
        }
        totalSupply -= amount; // checked: a poked-down totalSupply reverts instead of wrapping
        emit Burn(msg.sender, from, amount);
        emit Transfer(from, address(0), amount);
    }

    function _spendAllowance(address owner, address spender, uint256 amount) private {
        uint256 current = allowance[owner][spender];
        if (current != type(uint256).max) {
            if (current < amount) revert InsufficientAllowance(owner, spender, current, amount);
            unchecked {
                allowance[owner][spender] = current - amount;
            }
        }
    }
}
